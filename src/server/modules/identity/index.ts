export {
  type AuthSettings,
  createAuthenticator,
  createBearerAuthenticator,
  SESSION_COOKIE,
} from './authenticate';
export { type CredentialCache, startCredentialCache } from './credential-cache';
export { hashPassword, newApiKey, sha256 } from './credentials';
export { displayNameOf, findUserByEmail, insertApiKey, insertUser } from './identity.repository';
export { identityRoutes } from './identity.routes';
