export { serviceAccountControllerDescriptor, ServiceAccountsController } from './serviceaccounts-controller.js';
