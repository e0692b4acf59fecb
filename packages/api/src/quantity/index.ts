// Resource quantities ("100m", "128Mi", "1e3"), as k8s.io/apimachinery/pkg/api/resource.
export {
  Quantity,
  type QuantityFormat,
  QUANTITY_MIN_SCALE,
  compareQuantities,
  quantityFromBytes,
  quantityFromInt,
  quantityFromMillis,
  quantityFromScaled,
  sumQuantities,
  zeroQuantity,
} from './quantity.js';
export { QUANTITY_MAX_DIGITS, QUANTITY_REGEXP, parseQuantity, tryParseQuantity } from './parse.js';
