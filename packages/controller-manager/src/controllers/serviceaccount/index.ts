export { serviceAccountController, ServiceAccountsController } from './serviceaccounts-controller.js';
