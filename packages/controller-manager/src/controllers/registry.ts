// Every controller kubets-controller-manager knows, in upstream's --controllers names. Adding a
// controller is adding its folder and one line here.

import type { ControllerDescriptor } from '../controller/controller.js';

export const allControllers: readonly ControllerDescriptor[] = [];
