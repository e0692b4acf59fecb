// Every controller kubets-controller-manager knows, under upstream's --controllers names.
// Adding a controller is adding its folder and one line here.

import type { ControllerDescriptor } from '../controller/controller.js';
import { serviceAccountController } from './serviceaccount/index.js';

export const allControllers: readonly ControllerDescriptor[] = [serviceAccountController];
