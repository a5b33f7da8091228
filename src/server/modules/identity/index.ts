export { type AuthSettings, createAuthenticator, SESSION_COOKIE } from './authenticate';
export { hashPassword, newApiKey, sha256 } from './credentials';
export { findUserByEmail, insertApiKey, insertUser } from './identity.repository';
export { identityRoutes } from './identity.routes';
