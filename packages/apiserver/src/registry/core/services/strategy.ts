// Services: upstream's zero status (`status: {loadBalancer: {}}`) on create, the fields a type
// change leaves behind dropped on update, and the deleted Service as a DELETE's answer.

import { defineStrategy } from '../../default-strategy.js';
import { serviceColumns } from './printer.js';
import { dropTypeDependentFields } from './type-change.js';

export const serviceStrategy = defineStrategy({
  statusOnCreate: () => ({ loadBalancer: {} }),
  prepareForUpdate: dropTypeDependentFields,
  returnsDeletedObject: true,
  columns: serviceColumns,
});
