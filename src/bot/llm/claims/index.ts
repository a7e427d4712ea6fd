export { CLAIM_CATEGORIES, type Claim, type ClaimCategory, type ClaimSource, type ClaimViolation, checkClaims, claimsOf, readClaim } from './claims.js';
export { digitsFor, type Quantity, quantities } from './quantities.js';
