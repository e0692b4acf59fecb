// The apimachinery messages every kind embeds: the runtime.Unknown envelope, ObjectMeta, Time,
// IntOrString, Quantity, LabelSelector, DeleteOptions. Field numbers are upstream's
// (k8s.io/apimachinery generated.proto); only the fields our schemas have are declared, and
// the decoder skips the rest as protobuf does.
//
// Two field options of ours carry what the Go types know and the .proto does not:
//   (keep)   a zero value is a value: the Go field is a pointer, or its json tag has no
//            omitempty. Without it a zero scalar is dropped, since gogo-protobuf writes every
//            non-pointer field, set or not, and Go's JSON would have omitted it.
//   (inline) the Go field is embedded, so its fields sit in the parent's JSON object.

export const metaProto = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.runtime;

message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}

message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
`;

export const intstrProto = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;

// type 0 is an int, 1 a string.
message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}
`;

export const resourceProto = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;

message Quantity {
  optional string string = 1;
}
`;

export const metaV1Proto = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;

message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message MicroTime {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message FieldsV1 {
  optional bytes Raw = 1;
}

message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10 [(keep) = true];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}

message OwnerReference {
  optional string apiVersion = 5 [(keep) = true];
  optional string kind = 1 [(keep) = true];
  optional string name = 3 [(keep) = true];
  optional string uid = 4 [(keep) = true];
  optional bool controller = 6 [(keep) = true];
  optional bool blockOwnerDeletion = 7 [(keep) = true];
}

message ManagedFieldsEntry {
  optional string manager = 1;
  optional string operation = 2;
  optional string apiVersion = 3;
  optional Time time = 4;
  optional string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7;
  optional string subresource = 8;
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

message LabelSelectorRequirement {
  optional string key = 1 [(keep) = true];
  optional string operator = 2 [(keep) = true];
  repeated string values = 3;
}

message Condition {
  optional string type = 1 [(keep) = true];
  optional string status = 2 [(keep) = true];
  optional Time lastTransitionTime = 4;
  optional string reason = 5 [(keep) = true];
  optional string message = 6 [(keep) = true];
}

message Preconditions {
  optional string uid = 1 [(keep) = true];
  optional string resourceVersion = 2 [(keep) = true];
}

message DeleteOptions {
  optional int64 gracePeriodSeconds = 1 [(keep) = true];
  optional Preconditions preconditions = 2;
  optional bool orphanDependents = 3 [(keep) = true];
  optional string propagationPolicy = 4 [(keep) = true];
  repeated string dryRun = 5;
}
`;
