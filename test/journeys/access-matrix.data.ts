// The access matrix: every HTTP route × every kind of caller, and what each must get.
// Read by access-matrix.test.ts, which fails on a route without an entry (and prints the line to add).
//
// One row per route, keyed `METHOD /path` exactly as Fastify registers it (`:param`), with one cell
// per caller, in this order (3 characters a column):
//
//   an  anonymous                   se  seller (owns S-ALPHA)     su  supervisor      ik  integration API key
//   by  buyer (B-ALPHA, owns data)  s2  another seller (S-BETA)   rv  claims reviewer tk  telephony API key
//   b2  another buyer (B-BETA)      ag  agent (owns the cases)    ad  admin
//
// Cells:
//   A  2xx
//   v  allowed in: 2xx, or a 4xx about the request or the state (400/409/422/429…), never 401/403/404
//   -  401 unauthenticated
//   x  403 forbidden (the role may not call it)
//   n  404 not_found: someone else's resource; the body carries none of alpha's data
//   e  2xx, but none of alpha's data (the caller's own, empty, list)
//
// `{name}` in a URL or body is one of the seeded world's references (test/helpers/access-world.ts).
// Non-GET requests get an `idempotency-key` of their own. HEAD routes follow their GET.

export type Cell = 'A' | 'v' | '-' | 'x' | 'n' | 'e';
export type MatrixRequest = {
  url: string;
  body?: unknown;
  /** A raw body with its content type (NDJSON import). */
  raw?: { contentType: string; payload: string };
  /** Runs after every other row (it ends the caller's session, say). */
  last?: boolean;
};
export type MatrixRow = readonly [cells: string, request: string | MatrixRequest];

const now = () => new Date().toISOString();
const later = (ms: number) => new Date(Date.now() + ms).toISOString();

// biome-ignore format: a table is read by its columns
export const accessMatrix: Record<string, MatrixRow> = {
  //                                                                     an by b2 se s2 ag su rv ad ik tk
  'GET /health':                                                        ['A  A  A  A  A  A  A  A  A  A  A', '/health'],
  'GET /api/v1/chat/socket':                                            ['n  n  n  n  n  n  n  n  n  n  n', '/api/v1/chat/socket'], // only an upgrade is served: the socket table in the test,

  // identity
  'POST /api/v1/auth/login':                                            ['A  A  A  A  A  A  A  A  A  A  v', { url: '/api/v1/auth/login', body: { email: '{loginEmail}', password: '{loginPassword}' } }], // the 11th sign-in of a minute is 429
  'POST /api/v1/auth/logout':                                           ['-  A  A  A  A  A  A  A  A  x  x', { url: '/api/v1/auth/logout', last: true }],
  'GET /api/v1/auth/session':                                           ['-  x  x  A  A  A  A  A  A  x  x', '/api/v1/auth/session'],
  'POST /api/v1/admin/users':                                           ['-  x  x  x  x  x  x  x  A  x  x', { url: '/api/v1/admin/users', body: { email: 'matrix-agent@test.example', displayName: 'Matrix Agent', password: 'a long enough password', role: 'agent' } }],
  'POST /api/v1/admin/api-keys':                                        ['-  x  x  x  x  x  x  x  A  x  x', { url: '/api/v1/admin/api-keys', body: { name: 'matrix', scopes: ['integration:read'] } }],
  'GET /api/v1/admin/api-keys':                                         ['-  x  x  x  x  x  x  x  A  x  x', '/api/v1/admin/api-keys'],
  'DELETE /api/v1/admin/api-keys/:id':                                  ['-  x  x  x  x  x  x  x  A  x  x', '/api/v1/admin/api-keys/{apiKeyId}'],

  // marketplace data in (the commerce platform)
  'PUT /api/v1/integration/marketplaces/:id':                           ['-  x  x  x  x  x  x  x  A  A  x', { url: '/api/v1/integration/marketplaces/IT', body: { name: 'Marketplace Italia', country: 'IT', currency: 'EUR', languages: ['it'], defaultLanguage: 'it', timeZone: 'Europe/Rome' } }],
  'PUT /api/v1/integration/sellers/:externalId':                        ['-  x  x  x  x  x  x  x  A  A  x', { url: '/api/v1/integration/sellers/S-ALPHA', body: { name: 'Seller S-ALPHA', homeCountry: 'IT', defaultEmail: 'alpha@sellers.example', languages: ['it', 'en'], standing: 'good' } }],
  'PUT /api/v1/integration/buyers/:externalId':                         ['-  x  x  x  x  x  x  x  A  A  x', { url: '/api/v1/integration/buyers/B-ALPHA', body: { name: 'Buyer B-ALPHA', email: 'b-alpha@buyers.example', phone: '+393331234567', language: 'it' } }],
  'PUT /api/v1/integration/products/:externalId':                       ['-  x  x  x  x  x  x  x  A  A  x', { url: '/api/v1/integration/products/P-ALPHA', body: { sellerExternalId: 'S-ALPHA', sku: 'SKU-P-ALPHA', category: 'home_kitchen', pages: [{ marketplace: 'IT', language: 'it', title: 'Bollitore in acciaio inox', bulletPoints: ['1,7 litri'], description: 'Bollitore elettrico.' }] } }],
  'PUT /api/v1/integration/orders/:externalId':                         ['-  x  x  x  x  x  x  x  A  A  x', { url: '/api/v1/integration/orders/O-MATRIX', body: { marketplace: 'IT', sellerExternalId: 'S-ALPHA', buyerExternalId: 'B-ALPHA', fulfilmentChannel: 'seller', currency: 'EUR', orderedAt: '2026-03-02T10:00:00Z', lines: [{ lineNo: 1, productExternalId: 'P-ALPHA', units: 1, unitPrice: 1000 }], itemsTotal: 1000, orderTotal: 1000 } }],
  'PUT /api/v1/integration/shipments/:externalId':                      ['-  x  x  x  x  x  x  x  A  A  x', { url: '/api/v1/integration/shipments/SH-MATRIX', body: { orderExternalId: 'O-ALPHA-3', carrier: 'BRT', shippedAt: '2026-03-03T10:00:00Z' } }],
  'PUT /api/v1/integration/returns/:externalId':                        ['-  x  x  x  x  x  x  x  v  v  x', { url: '/api/v1/integration/returns/R-MATRIX', body: { orderExternalId: 'O-ALPHA-3', reason: 'no_longer_needed', requestedAt: '2026-03-10T10:00:00Z', authorisation: 'authorised', lines: [{ lineNo: 1, units: 1 }] } }],
  'POST /api/v1/integration/shipments/:externalId/events':              ['-  x  x  x  x  x  x  x  A  A  x', { url: '/api/v1/integration/shipments/SH-ALPHA/events', body: { events: [{ code: 'delivered', occurredAt: '{twoDaysAgo}' }] } }],
  'POST /api/v1/integration/returns/:externalId/events':                ['-  x  x  x  x  x  x  x  v  v  x', { url: '/api/v1/integration/returns/{returnRef}/events', body: { events: [{ code: 'picked_up', occurredAt: '{now}' }] } }],
  'POST /api/v1/integration/batch':                                     ['-  x  x  x  x  x  x  x  A  A  x', { url: '/api/v1/integration/batch', body: { records: [{ type: 'buyer', externalId: 'B-ALPHA', name: 'Buyer B-ALPHA', email: 'b-alpha@buyers.example', phone: '+393331234567', language: 'it' }] } }],
  'POST /api/v1/integration/import':                                    ['-  x  x  x  x  x  x  x  A  A  x', { url: '/api/v1/integration/import', raw: { contentType: 'application/x-ndjson', payload: '{"type":"buyer","externalId":"B-IMPORTED","name":"Buyer B-IMPORTED","email":"b-imported@buyers.example","language":"it"}\n' } }],

  // marketplace data out
  'GET /api/v1/marketplaces':                                           ['-  A  A  A  A  A  A  A  A  A  x', '/api/v1/marketplaces'],
  'GET /api/v1/marketplaces/:id/calendar':                              ['-  A  A  A  A  A  A  A  A  A  x', '/api/v1/marketplaces/IT/calendar?year=2026'],
  'GET /api/v1/marketplaces/:id/business-days':                         ['-  A  A  A  A  A  A  A  A  A  x', '/api/v1/marketplaces/IT/business-days?from=2026-03-02&add=2'],
  'GET /api/v1/sellers/:ref':                                           ['-  x  x  A  n  A  A  A  A  A  x', '/api/v1/sellers/S-ALPHA'],
  'GET /api/v1/orders':                                                 ['-  A  e  A  e  A  A  A  A  A  x', '/api/v1/orders'],
  'GET /api/v1/orders/:ref':                                            ['-  A  n  A  n  A  A  A  A  A  x', '/api/v1/orders/O-ALPHA'],
  'GET /api/v1/products/:ref/page':                                     ['-  A  A  A  n  A  A  A  A  A  x', '/api/v1/products/P-ALPHA/page?marketplace=IT'],

  // managed-service programme
  'GET /api/v1/sellers/:ref/services':                                  ['-  x  x  A  n  A  A  A  A  x  x', '/api/v1/sellers/S-ALPHA/services'],
  'GET /api/v1/sellers/:ref/services/managed-cs/eligibility':           ['-  x  x  A  n  A  A  A  A  x  x', '/api/v1/sellers/S-ALPHA/services/managed-cs/eligibility'],
  'POST /api/v1/sellers/:ref/services/managed-cs/enrolments':           ['-  x  x  v  n  x  x  x  v  x  x', { url: '/api/v1/sellers/S-ALPHA/services/managed-cs/enrolments', body: { marketplace: 'IT' } }],
  'POST /api/v1/sellers/:ref/services/managed-cs/withdrawals':          ['-  x  x  v  n  x  x  x  v  x  x', { url: '/api/v1/sellers/S-ALPHA/services/managed-cs/withdrawals', body: { marketplace: 'DE' } }],
  'PUT /api/v1/admin/sellers/:ref/premium/:marketplace':                ['-  x  x  x  x  x  x  x  A  x  x', { url: '/api/v1/admin/sellers/S-ALPHA/premium/IT', body: { member: true } }],
  'PUT /api/v1/admin/programs/:marketplace/policy':                     ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/admin/programs/DE/policy', body: { effectiveFrom: '{tomorrow}', trialDays: 30, autoEnrolNewSellers: false } }],
  'POST /api/v1/admin/programs/auto-enrolment':                         ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/admin/programs/auto-enrolment', body: { createdSince: '2026-01-01T00:00:00Z' } }],

  // cases
  'POST /api/v1/contacts':                                              ['-  A  n  x  x  v  v  v  v  x  x', { url: '/api/v1/contacts', body: { marketplace: 'IT', channel: 'chat', topic: 'order_status', orderId: 'O-ALPHA', message: 'Where is it now?' } }],
  'GET /api/v1/cases/:ref':                                             ['-  A  n  x  x  A  A  A  A  x  x', '/api/v1/cases/{caseNumber}'],
  'GET /api/v1/agent/cases':                                            ['-  x  x  x  x  A  A  x  x  x  x', '/api/v1/agent/cases'],
  'POST /api/v1/agent/next-case':                                       ['-  x  x  x  x  v  v  x  x  x  x', '/api/v1/agent/next-case'],
  'POST /api/v1/cases/:ref/replies':                                    ['-  x  x  x  x  A  v  x  x  x  x', { url: '/api/v1/cases/{caseNumber}/replies', body: { message: 'Matrix reply' } }],
  'POST /api/v1/cases/:ref/escalations':                                ['-  v  n  x  x  v  v  x  x  x  x', { url: '/api/v1/cases/{settledCase}/escalations', body: { reason: 'The buyer asked for a manager' } }],
  'POST /api/v1/cases/:ref/resolution':                                 ['-  x  x  x  x  v  v  x  x  x  x', { url: '/api/v1/cases/{returnCase}/resolution', body: { note: 'Matrix' } }],
  'POST /api/v1/cases/:ref/closure':                                    ['-  x  x  x  x  v  v  x  x  x  x', '/api/v1/cases/{settledCase}/closure'],
  'PUT /api/v1/admin/sla/:marketplace/:channel':                        ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/admin/sla/DE/chat', body: { effectiveFrom: '{tomorrow}', firstResponseMinutes: 2, nextResponseMinutes: 5 } }],
  'POST /api/v1/cases/:ref/rating':                                     ['-  v  n  x  x  x  x  x  x  x  x', { url: '/api/v1/cases/{settledCase}/rating', body: { stars: 5, solved: true } }],
  'POST /api/v1/cases/:ref/calls':                                      ['-  x  x  x  x  v  v  x  x  x  x', { url: '/api/v1/cases/{caseNumber}/calls', body: { caller: 'buyer', direction: 'inbound', startedAt: '{now}', outcome: 'answered' } }],
  'POST /api/v1/telephony/inbound-calls':                               ['-  x  x  x  x  x  x  x  x  x  A', { url: '/api/v1/telephony/inbound-calls', body: { marketplace: 'IT', callerNumber: '+393331234567', callId: 'matrix-call-1', startedAt: '{now}' } }],
  'POST /api/v1/cases/:ref/callbacks':                                  ['-  v  n  x  x  v  v  x  x  x  x', { url: '/api/v1/cases/{caseNumber}/callbacks', body: { phone: '+393331234567', dueAt: '{tomorrow}' } }],
  'GET /api/v1/supervisor/unassignable-cases':                          ['-  x  x  x  x  x  A  x  A  x  x', '/api/v1/supervisor/unassignable-cases'],
  'POST /api/v1/cases/:ref/reassignment':                               ['-  x  x  x  x  x  v  x  v  x  x', { url: '/api/v1/cases/{caseNumber}/reassignment', body: { agentId: '{agentId}', note: 'Matrix' } }],
  'PUT /api/v1/admin/agents/:userId':                                   ['-  x  x  x  x  x  v  x  v  x  x', { url: '/api/v1/admin/agents/{agentId}', body: { marketplaces: ['IT'], languages: ['it', 'en'], capacity: 50, premium: true } }],

  // the buyer's chats over HTTP
  'GET /api/v1/buyer/conversations':                                    ['-  A  e  x  x  x  x  x  x  x  x', '/api/v1/buyer/conversations?marketplace=IT'],
  'GET /api/v1/buyer/conversations/:id':                                ['-  A  n  x  x  x  x  x  x  x  x', '/api/v1/buyer/conversations/{conversationId}'],
  'POST /api/v1/buyer/conversations/:id/transcript-email':              ['-  A  n  x  x  x  x  x  x  x  x', '/api/v1/buyer/conversations/{conversationId}/transcript-email'],

  // the bot's suggestions
  'GET /api/v1/bot/suggestions':                                        ['-  x  x  x  x  A  A  A  A  x  x', '/api/v1/bot/suggestions'],
  'POST /api/v1/bot/suggestions/:id/acceptance':                        ['-  x  x  x  x  v  v  v  v  x  x', { url: '/api/v1/bot/suggestions/{suggestionId}/acceptance', body: { intent: 'order_status' } }],
  'POST /api/v1/bot/suggestions/:id/rejection':                         ['-  x  x  x  x  v  v  v  v  x  x', '/api/v1/bot/suggestions/{suggestionId}/rejection'],

  // seller inbox
  'POST /api/v1/cases/:ref/seller-requests':                            ['-  x  x  x  x  v  v  x  x  x  x', { url: '/api/v1/cases/{caseNumber}/seller-requests', body: { question: 'Is there a spare part?' } }],
  'GET /api/v1/seller/case-log':                                        ['-  x  x  A  e  x  x  x  x  x  x', '/api/v1/seller/case-log'],
  'POST /api/v1/seller/case-log/:id/answer':                            ['-  x  x  v  n  x  x  x  x  x  x', { url: '/api/v1/seller/case-log/{caseLogId}/answer', body: { answer: 'Blue' } }],
  'GET /api/v1/seller/messages':                                        ['-  x  x  A  e  x  x  x  x  x  x', '/api/v1/seller/messages'],
  'POST /api/v1/seller/messages/:threadId/replies':                     ['-  x  x  v  n  x  x  x  x  x  x', { url: '/api/v1/seller/messages/{threadId}/replies', body: { message: 'Here is your invoice' } }],
  'GET /api/v1/buyer/messages':                                         ['-  A  e  x  x  x  x  x  x  x  x', '/api/v1/buyer/messages'],
  'POST /api/v1/buyer/messages/:threadId':                              ['-  v  n  x  x  x  x  x  x  x  x', { url: '/api/v1/buyer/messages/{threadId}', body: { message: 'Thank you' } }],

  // ledger
  'GET /api/v1/sellers/:ref/ledger/balances':                           ['-  x  x  A  n  x  A  x  A  x  x', '/api/v1/sellers/S-ALPHA/ledger/balances'],
  'GET /api/v1/sellers/:ref/ledger/statements/:month':                  ['-  x  x  A  n  x  A  x  A  x  x', '/api/v1/sellers/S-ALPHA/ledger/statements/{month}?currency=EUR'],

  // returns and refunds
  'POST /api/v1/cases/:ref/returns':                                    ['-  v  n  x  x  v  v  x  x  x  x', { url: '/api/v1/cases/{caseNumber}/returns', body: { reason: 'no_longer_needed', lines: [{ lineNo: 1, units: 1 }] } }],
  'GET /api/v1/marketplaces/:id/return-policy':                         ['-  x  x  x  x  A  A  A  A  x  x', '/api/v1/marketplaces/IT/return-policy'],
  'PUT /api/v1/admin/marketplaces/:id/return-policy':                   ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/admin/marketplaces/DE/return-policy', body: { windowDays: 30, holidayExtension: false, effectiveFrom: '{tomorrow}' } }],
  'GET /api/v1/cases/:ref/concession-options':                          ['-  x  x  x  x  A  A  x  x  x  x', '/api/v1/cases/{caseNumber}/concession-options?reason=defective_or_damaged'],
  'POST /api/v1/cases/:ref/concessions':                                ['-  x  x  x  x  v  v  x  x  x  x', { url: '/api/v1/cases/{caseNumber}/concessions', body: { action: 'returnless_refund', reason: 'defective_or_damaged', lines: [{ lineNo: 1, amount: 100 }] } }],
  'GET /api/v1/seller/decisions':                                       ['-  x  x  A  e  x  x  x  x  x  x', '/api/v1/seller/decisions'],
  'POST /api/v1/seller/returns/:ref/receipt':                           ['-  x  x  v  n  x  x  x  x  x  x', '/api/v1/seller/returns/{returnRef}/receipt'],
  'POST /api/v1/seller/returns/:ref/refund':                            ['-  x  x  v  n  x  x  x  x  x  x', '/api/v1/seller/returns/{returnRef}/refund'],
  'POST /api/v1/concessions/:id/approval':                              ['-  x  x  x  x  x  v  x  x  x  x', { url: '/api/v1/concessions/{concessionId}/approval', body: { approve: true, note: 'Matrix' } }],
  'GET /api/v1/marketplaces/:id/approval-limits':                       ['-  x  x  x  x  A  A  x  A  x  x', '/api/v1/marketplaces/IT/approval-limits'],
  'PUT /api/v1/admin/marketplaces/:id/approval-limits':                 ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/admin/marketplaces/DE/approval-limits', body: { agent: 20000, supervisor: 100000, effectiveFrom: '{tomorrow}' } }],

  // claims
  'GET /api/v1/marketplaces/:id/claim-policy':                          ['-  x  x  A  A  A  A  A  A  x  x', '/api/v1/marketplaces/IT/claim-policy'],
  'PUT /api/v1/admin/marketplaces/:id/claim-policy':                    ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/admin/marketplaces/DE/claim-policy', body: { filingWindowDays: 60, capMajorUnits: 5000, buyerDamageMaxPercent: 50, noReturnScanDays: 45, replyByDays: 7, appealByDays: 30, effectiveFrom: '{tomorrow}' } }],
  'GET /api/v1/seller/claims/eligibility':                              ['-  x  x  A  n  x  x  x  x  x  x', '/api/v1/seller/claims/eligibility?order=O-ALPHA&reason=other'],
  'POST /api/v1/seller/claims':                                         ['-  x  x  v  n  x  x  x  x  x  x', { url: '/api/v1/seller/claims', body: { orderExternalId: 'O-ALPHA-2', reason: 'other', amount: 100, description: 'Matrix claim' } }],
  'GET /api/v1/seller/claims':                                          ['-  x  x  A  e  x  x  x  x  x  x', '/api/v1/seller/claims'],
  'GET /api/v1/seller/claims/:id':                                      ['-  x  x  A  n  x  x  x  x  x  x', '/api/v1/seller/claims/{claimId}'],
  'POST /api/v1/seller/claims/:id/reply':                               ['-  x  x  v  n  x  x  x  x  x  x', { url: '/api/v1/seller/claims/{claimId}/reply', body: { message: 'More details' } }],
  'POST /api/v1/seller/claims/:id/appeal':                              ['-  x  x  v  n  x  x  x  x  x  x', { url: '/api/v1/seller/claims/{claimId}/appeal', body: { note: 'Please look again' } }],
  'GET /api/v1/claims/:id/evidence/:evidenceId':                        ['-  x  x  A  n  x  x  A  x  x  x', '/api/v1/claims/{claimId}/evidence/{evidenceId}'],
  'GET /api/v1/claims/queue':                                           ['-  x  x  x  x  x  x  A  x  x  x', '/api/v1/claims/queue'],
  'GET /api/v1/claims/:id':                                             ['-  x  x  x  x  x  x  A  x  x  x', '/api/v1/claims/{claimId}'],
  'POST /api/v1/claims/:id/information-request':                        ['-  x  x  x  x  x  x  v  x  x  x', { url: '/api/v1/claims/{claimId}/information-request', body: { question: 'A photo of the label?' } }],
  'POST /api/v1/claims/:id/decision':                                   ['-  x  x  x  x  x  x  v  x  x  x', { url: '/api/v1/claims/{claimId}/decision', body: { outcome: 'deny', denialReason: 'not_proven', note: 'Matrix' } }],

  // notifications and webhooks
  'GET /api/v1/seller/notifications':                                   ['-  x  x  A  e  x  x  x  x  x  x', '/api/v1/seller/notifications'],
  'POST /api/v1/seller/notifications/:id/read':                         ['-  x  x  v  n  x  x  x  x  x  x', '/api/v1/seller/notifications/{notificationId}/read'],
  'GET /api/v1/seller/notification-preferences':                        ['-  x  x  A  A  x  x  x  x  x  x', '/api/v1/seller/notification-preferences'],
  'PUT /api/v1/seller/notification-preferences/:category':              ['-  x  x  A  A  x  x  x  x  x  x', { url: '/api/v1/seller/notification-preferences/case_log', body: { email: true, inApp: true } }],
  'GET /api/v1/admin/outbox':                                           ['-  x  x  x  x  x  x  x  A  x  x', '/api/v1/admin/outbox'],
  'POST /api/v1/admin/webhooks':                                        ['-  x  x  x  x  x  x  x  A  x  x', { url: '/api/v1/admin/webhooks', body: { url: 'https://hooks.example/matrix', eventTypes: ['ledger.posted'] } }],
  'GET /api/v1/admin/webhooks':                                         ['-  x  x  x  x  x  x  x  A  x  x', '/api/v1/admin/webhooks'],
  'GET /api/v1/admin/webhooks/:id/deliveries':                          ['-  x  x  x  x  x  x  x  A  x  x', '/api/v1/admin/webhooks/{webhookId}/deliveries'],
  'POST /api/v1/admin/webhooks/:id/deliveries/:deliveryId/retry':       ['-  x  x  x  x  x  x  x  v  x  x', '/api/v1/admin/webhooks/{webhookId}/deliveries/{deliveryId}/retry'],
  'DELETE /api/v1/admin/webhooks/:id':                                  ['-  x  x  x  x  x  x  x  A  x  x', '/api/v1/admin/webhooks/{webhookId}'],
  // Added when the bot actions, fees, web pages, console, portal and admin landed.
  'GET /api/v1/admin/users':                                            ['-  x  x  x  x  x  x  x  v  x  x', '/api/v1/admin/users'],
  'GET /api/v1/cases':                                                  ['-  x  x  x  x  v  v  x  x  x  x', '/api/v1/cases'],
  'GET /api/v1/saved-replies':                                          ['-  x  x  x  x  v  v  x  v  x  x', '/api/v1/saved-replies'],
  'POST /api/v1/admin/saved-replies':                                   ['-  x  x  x  x  x  v  x  v  x  x', { url: '/api/v1/admin/saved-replies', body: {} }],
  'PUT /api/v1/admin/saved-replies/:id':                                ['-  x  x  x  x  x  v  x  v  x  x', { url: '/api/v1/admin/saved-replies/00000000-0000-4000-8000-000000000000', body: {} }],
  'DELETE /api/v1/admin/saved-replies/:id':                             ['-  x  x  x  x  x  n  x  n  x  x', { url: '/api/v1/admin/saved-replies/00000000-0000-4000-8000-000000000000', body: {} }],
  'GET /api/v1/cases/:ref/saved-replies/:id':                           ['-  x  x  x  x  n  n  x  x  x  x', '/api/v1/cases/{caseNumber}/saved-replies/00000000-0000-4000-8000-000000000000'],
  'GET /api/v1/cases/:ref/attachments':                                 ['-  x  x  x  x  A  A  x  x  x  x', '/api/v1/cases/{caseNumber}/attachments'],
  'GET /api/v1/cases/:ref/attachments/:id':                             ['-  x  x  x  x  n  n  x  x  x  x', '/api/v1/cases/{caseNumber}/attachments/999999999'], // a real file's download: the console's browser test
  'GET /api/v1/supervisor/queue-board':                                 ['-  x  x  x  x  x  v  x  v  x  x', '/api/v1/supervisor/queue-board'],
  'GET /api/v1/supervisor/waiting':                                     ['-  x  x  x  x  x  v  x  v  x  x', '/api/v1/supervisor/waiting'],
  'GET /api/v1/admin/sla/:marketplace':                                 ['-  x  x  x  x  x  v  x  v  x  x', '/api/v1/admin/sla/IT'],
  'GET /api/v1/admin/agents':                                           ['-  x  x  x  x  x  v  x  v  x  x', '/api/v1/admin/agents'],
  'GET /api/v1/seller/product-answers':                                 ['-  x  x  v  v  x  x  x  x  x  x', '/api/v1/seller/product-answers'],
  'PUT /api/v1/seller/product-answers/:id':                             ['-  x  x  v  v  x  x  x  x  x  x', { url: '/api/v1/seller/product-answers/00000000-0000-4000-8000-000000000000', body: {} }],
  'DELETE /api/v1/seller/product-answers/:id':                          ['-  x  x  n  n  x  x  x  x  x  x', { url: '/api/v1/seller/product-answers/00000000-0000-4000-8000-000000000000', body: {} }],
  'GET /api/v1/sellers/:ref/ledger/statements/:month/csv':              ['-  x  x  v  n  x  v  x  v  x  x', '/api/v1/sellers/S-ALPHA/ledger/statements/2026-03/csv?currency=EUR'],
  'GET /api/v1/admin/marketplaces/:id/return-policy/changes':           ['-  x  x  x  x  x  x  x  v  x  x', '/api/v1/admin/marketplaces/IT/return-policy/changes'],
  'GET /api/v1/marketplaces/:id/bot-policy':                            ['-  x  x  x  x  v  v  v  v  x  x', '/api/v1/marketplaces/IT/bot-policy'],
  'PUT /api/v1/admin/marketplaces/:id/bot-policy':                      ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/admin/marketplaces/IT/bot-policy', body: {} }],
  'GET /metrics':                                                       ['-  x  x  x  x  x  x  x  v  v  x', '/metrics'],
  'GET /api/v1/admin/metrics/daily':                                    ['-  x  x  x  x  v  v  v  v  x  x', '/api/v1/admin/metrics/daily'],
  'GET /api/v1/sellers/:ref/fees':                                      ['-  x  x  v  n  v  v  x  v  x  x', '/api/v1/sellers/S-ALPHA/fees?marketplace=IT'],
  'GET /api/v1/sellers/:ref/fees/months':                               ['-  x  x  v  n  v  v  x  v  x  x', '/api/v1/sellers/S-ALPHA/fees/months?marketplace=IT'],
  'GET /api/v1/sellers/:ref/fees/contacts':                             ['-  x  x  v  n  v  v  x  v  x  x', '/api/v1/sellers/S-ALPHA/fees/contacts?marketplace=IT'],
  'GET /api/v1/sellers/:ref/fees/contests':                             ['-  x  x  v  n  v  v  x  v  x  x', '/api/v1/sellers/S-ALPHA/fees/contests?marketplace=IT'],
  'POST /api/v1/sellers/:ref/fees/contests':                            ['-  x  x  v  v  x  x  x  x  x  x', { url: '/api/v1/sellers/S-ALPHA/fees/contests', body: {} }],
  'GET /api/v1/fees/contests':                                          ['-  x  x  x  x  v  v  v  v  x  x', '/api/v1/fees/contests'],
  'POST /api/v1/fees/contests/:id/decision':                            ['-  x  x  x  x  x  v  x  v  x  x', { url: '/api/v1/fees/contests/00000000-0000-4000-8000-000000000000/decision', body: {} }],
  'GET /api/v1/sellers/:ref/product-questions':                         ['-  x  x  v  n  v  v  x  v  x  x', '/api/v1/sellers/S-ALPHA/product-questions?marketplace=IT'],
  'POST /api/v1/sellers/:ref/support-requests':                         ['-  x  x  v  v  x  x  x  x  x  x', { url: '/api/v1/sellers/S-ALPHA/support-requests', body: {} }],
  'GET /api/v1/sellers/:ref/support-requests':                          ['-  x  x  v  n  v  v  x  v  x  x', '/api/v1/sellers/S-ALPHA/support-requests?marketplace=IT'],
  'GET /api/v1/seller-support':                                         ['-  x  x  x  x  v  v  v  v  x  x', '/api/v1/seller-support'],
  'POST /api/v1/seller-support/:id/answer':                             ['-  x  x  x  x  v  v  v  v  x  x', { url: '/api/v1/seller-support/00000000-0000-4000-8000-000000000000/answer', body: {} }],
  'GET /api/v1/marketplaces/:id/fee-policies':                          ['-  x  x  x  x  v  v  v  v  x  x', '/api/v1/marketplaces/IT/fee-policies'],
  'GET /api/v1/marketplaces/:id/fee-schedule':                          ['-  x  x  A  A  A  A  x  A  x  x', '/api/v1/marketplaces/IT/fee-schedule'],
  'POST /api/v1/marketplaces/:id/fee-schedules':                        ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/marketplaces/IT/fee-schedules', body: {} }],
  'POST /api/v1/marketplaces/:id/tracking-discounts':                   ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/marketplaces/IT/tracking-discounts', body: {} }],
  'GET /api/v1/fees/charges':                                           ['-  x  x  x  x  v  v  v  v  x  x', '/api/v1/fees/charges'],
  'POST /api/v1/fees/simulations':                                      ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/fees/simulations', body: {} }],
  'POST /api/v1/fees/simulations/policies':                             ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/fees/simulations/policies', body: {} }],
  'GET /api/v1/help/:marketplace':                                      ['-  A  e  x  x  x  x  x  x  x  x', '/api/v1/help/IT'],
  'GET /api/v1/help/:marketplace/widget':                               ['v  v  v  v  v  v  v  v  v  v  v', '/api/v1/help/IT/widget'],
  'PUT /api/v1/admin/marketplaces/:marketplace/widget-origins':         ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/admin/marketplaces/IT/widget-origins', body: {} }],
  'PUT /api/v1/admin/marketplaces/:marketplace/help-channels':          ['-  x  x  x  x  x  x  x  v  x  x', { url: '/api/v1/admin/marketplaces/IT/help-channels', body: {} }],
};

/** `{name}` placeholders that are not world references: times relative to the run. */
export const relativeTimes: Record<string, () => string> = {
  now,
  tomorrow: () => later(86_400_000),
  twoDaysAgo: () => new Date(Date.now() - 2 * 86_400_000).toISOString(),
};
