import { z } from 'zod';
import { instant, MAX_MINOR_AMOUNT } from '../../../contracts/common';
import type { Db } from '../../platform/db';
import { sellerIdOf, userIdOf } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { callerKey } from '../../platform/idempotency';
import { claimReasons, denialReasons } from './claim-policy';
import {
  appealClaim,
  checkEligibility,
  decideClaim,
  fileClaim,
  replyToClaim,
  requestInformation,
} from './claims';
import {
  claimSettingsOf,
  claimView,
  evidenceFile,
  reviewQueue,
  saveClaimSettings,
  sellerClaim,
  sellerClaims,
} from './claims.repository';
import { EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES, type Evidence, evidenceTypes } from './evidence';

// Evidence travels base64 in JSON: one request holds up to 5 MB of files (+ a third for base64).
const EVIDENCE_BODY_LIMIT = Math.ceil((EVIDENCE_MAX_BYTES * 4) / 3) + 64 * 1024;
const evidence = z
  .array(
    z.object({
      filename: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .regex(/^[^/\\\0]+$/, 'a file name, not a path'),
      contentType: z.enum(evidenceTypes),
      dataBase64: z.string().min(4).max(EVIDENCE_BODY_LIMIT).base64(),
    }),
  )
  .max(EVIDENCE_MAX_FILES)
  .default([]);
const toEvidence = (files: z.infer<typeof evidence>): Evidence[] =>
  files.map((f) => ({
    filename: f.filename,
    contentType: f.contentType,
    data: Buffer.from(f.dataBase64, 'base64'),
  }));

const claimSchema = z.object({
  id: z.string(),
  marketplace: z.string(),
  orderExternalId: z.string(),
  reason: z.string(),
  description: z.string(),
  status: z.string(),
  stage: z.string(),
  currency: z.string(),
  requestedAmount: z.number(),
  grantedAmount: z.number(),
  decision: z.record(z.string(), z.unknown()).nullable(),
  facts: z.record(z.string(), z.unknown()),
  replyBy: z.string().nullable(),
  appealBy: z.string().nullable(),
  filedAt: z.string(),
  decidedAt: z.string().nullable(),
  events: z.array(
    z.object({
      kind: z.string(),
      actor: z.string(),
      note: z.string().nullable(),
      data: z.record(z.string(), z.unknown()),
      at: z.string(),
    }),
  ),
  evidence: z.array(
    z.object({
      id: z.string(),
      filename: z.string(),
      contentType: z.string(),
      sizeBytes: z.number(),
      sha256: z.string(),
    }),
  ),
});
const claimParams = z.object({ id: z.string().uuid() });
const idempotencyKey = z.object({ 'idempotency-key': z.string().min(8).max(200) });

export function claimsRoutes(app: App, db: Db) {
  claimPolicyRoutes(app, db);
  const SELLER = { roles: ['seller'] as const };
  const REVIEWER = { roles: ['claims_reviewer'] as const };

  app.get(
    '/api/v1/seller/claims/eligibility',
    {
      config: { access: SELLER },
      schema: {
        tags: ['claims'],
        summary:
          'Whether a refund on one of your orders can be claimed, why not, and the most it can be worth',
        querystring: z.object({
          order: z.string().min(1).max(128),
          reason: z.enum(claimReasons).default('other'),
        }),
        response: {
          200: z.object({
            eligible: z.boolean(),
            currency: z.string(),
            maxAmount: z.number(),
            windowEndsAt: z.string().nullable(),
            problems: z.array(z.object({ code: z.string(), message: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const e = await checkEligibility(
        db,
        sellerIdOf(request.principal!),
        request.query.order,
        request.query.reason,
        new Date(),
      );
      return {
        eligible: e.eligible,
        currency: e.currency,
        maxAmount: Number(e.maxAmount),
        windowEndsAt: e.windowEndsAt?.toISOString() ?? null,
        problems: e.problems,
      };
    },
  );

  app.post(
    '/api/v1/seller/claims',
    {
      config: { access: SELLER },
      bodyLimit: EVIDENCE_BODY_LIMIT,
      schema: {
        tags: ['claims'],
        summary:
          'File a reimbursement claim on a refund the marketplace issued (one per order, once per Idempotency-Key)',
        headers: idempotencyKey,
        body: z.object({
          orderExternalId: z.string().min(1).max(128),
          reason: z.enum(claimReasons),
          amount: z.number().int().min(1).max(MAX_MINOR_AMOUNT).optional(),
          description: z.string().trim().min(3).max(5000),
          evidence,
        }),
        response: { 201: claimSchema, 200: claimSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await db.transaction().execute((tx) =>
        fileClaim(tx, {
          idempotency: callerKey(request.principal!, 'claim', request.headers['idempotency-key'], b),
          sellerId: sellerIdOf(request.principal!),
          orderExternalId: b.orderExternalId,
          reason: b.reason,
          amount: b.amount === undefined ? null : BigInt(b.amount),
          description: b.description,
          evidence: toEvidence(b.evidence),
          at: new Date(),
        }),
      );
      return reply.status(r.replayed ? 200 : 201).send(r.claim);
    },
  );

  app.get(
    '/api/v1/seller/claims',
    {
      config: { access: SELLER },
      schema: {
        tags: ['claims'],
        summary: 'Your claims, newest first',
        response: { 200: z.array(claimSchema), ...errorResponses },
      },
    },
    async (request) => sellerClaims(db, sellerIdOf(request.principal!)),
  );

  app.get(
    '/api/v1/seller/claims/:id',
    {
      config: { access: SELLER },
      schema: {
        tags: ['claims'],
        summary: 'One of your claims with its history',
        params: claimParams,
        response: { 200: claimSchema, ...errorResponses },
      },
    },
    async (request) => sellerClaim(db, sellerIdOf(request.principal!), request.params.id),
  );

  app.post(
    '/api/v1/seller/claims/:id/reply',
    {
      config: { access: SELLER },
      bodyLimit: EVIDENCE_BODY_LIMIT,
      schema: {
        tags: ['claims'],
        summary: 'Answer a reviewer’s request for information, with more evidence if needed',
        params: claimParams,
        body: z.object({ message: z.string().trim().min(1).max(5000), evidence }),
        response: { 200: claimSchema, ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = sellerIdOf(request.principal!);
      return db
        .transaction()
        .execute((tx) =>
          replyToClaim(
            tx,
            request.params.id,
            sellerId,
            request.body.message,
            toEvidence(request.body.evidence),
            new Date(),
          ),
        );
    },
  );

  app.post(
    '/api/v1/seller/claims/:id/appeal',
    {
      config: { access: SELLER },
      schema: {
        tags: ['claims'],
        summary: 'Appeal a denial or a partial grant once, before its appeal-by date',
        params: claimParams,
        body: z.object({ note: z.string().trim().min(3).max(5000) }),
        response: { 200: claimSchema, ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = sellerIdOf(request.principal!);
      return db
        .transaction()
        .execute((tx) => appealClaim(tx, request.params.id, sellerId, request.body.note, new Date()));
    },
  );

  app.get(
    '/api/v1/claims/:id/evidence/:evidenceId',
    {
      config: { access: { roles: ['claims_reviewer', 'seller'] as const } },
      schema: {
        tags: ['claims'],
        summary: 'Download an evidence file',
        params: z.object({ id: z.string().uuid(), evidenceId: z.string().uuid() }),
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      const sellerId = p.kind === 'user' && p.role === 'seller' ? sellerIdOf(p) : null;
      const f = await evidenceFile(db, request.params.id, request.params.evidenceId, sellerId);
      return reply
        .header('content-type', f.content_type)
        .header('content-disposition', `attachment; filename="${encodeURIComponent(f.filename)}"`)
        .header('x-content-type-options', 'nosniff')
        .send(f.content);
    },
  );

  app.get(
    '/api/v1/claims/queue',
    {
      config: { access: REVIEWER },
      schema: {
        tags: ['claims'],
        summary: 'Claims waiting for a reviewer, oldest first',
        response: { 200: z.array(claimSchema), ...errorResponses },
      },
    },
    async () => reviewQueue(db),
  );

  app.get(
    '/api/v1/claims/:id',
    {
      config: { access: REVIEWER },
      schema: {
        tags: ['claims'],
        summary: 'A claim with its facts, evidence and history',
        params: claimParams,
        response: { 200: claimSchema, ...errorResponses },
      },
    },
    async (request) => claimView(db, request.params.id),
  );

  app.post(
    '/api/v1/claims/:id/information-request',
    {
      config: { access: REVIEWER },
      schema: {
        tags: ['claims'],
        summary: 'Ask the seller for information; unanswered by the reply-by date, the claim is denied',
        params: claimParams,
        body: z.object({ question: z.string().trim().min(3).max(5000) }),
        response: { 200: claimSchema, ...errorResponses },
      },
    },
    async (request) => {
      const userId = userIdOf(request.principal!);
      return db
        .transaction()
        .execute((tx) =>
          requestInformation(tx, request.params.id, userId, request.body.question, new Date()),
        );
    },
  );

  app.post(
    '/api/v1/claims/:id/decision',
    {
      config: { access: REVIEWER },
      schema: {
        tags: ['claims'],
        summary:
          'Grant in full, grant in part or deny with a reason; the reimbursement moves once per Idempotency-Key',
        params: claimParams,
        headers: idempotencyKey,
        body: z.object({
          outcome: z.enum(['grant', 'partial', 'deny']),
          amount: z.number().int().min(1).max(MAX_MINOR_AMOUNT).optional(),
          denialReason: z.enum(denialReasons).optional(),
          note: z.string().trim().min(3).max(5000),
        }),
        response: { 200: z.object({ claim: claimSchema, replayed: z.boolean() }), ...errorResponses },
      },
    },
    async (request) => {
      const userId = userIdOf(request.principal!);
      const b = request.body;
      return db.transaction().execute((tx) =>
        decideClaim(
          tx,
          request.params.id,
          userId,
          {
            idempotency: callerKey(request.principal!, 'claim_decision', request.headers['idempotency-key'], {
              params: request.params,
              body: b,
            }),
            outcome: b.outcome,
            amount: b.amount === undefined ? null : BigInt(b.amount),
            denialReason: b.denialReason ?? null,
            note: b.note,
          },
          new Date(),
        ),
      );
    },
  );
}

const days = z.number().int().min(1).max(365);
const claimPolicy = z.object({
  filingWindowDays: days,
  capMajorUnits: z.number().int().min(1).max(1_000_000_000),
  buyerDamageMaxPercent: z.number().int().min(0).max(100),
  noReturnScanDays: days,
  replyByDays: days,
  appealByDays: days,
});

function claimPolicyRoutes(app: App, db: Db) {
  const marketplaceParams = z.object({ id: z.string().regex(/^[A-Z]{2,8}$/) });
  app.get(
    '/api/v1/marketplaces/:id/claim-policy',
    {
      config: { access: { roles: ['admin', 'supervisor', 'agent', 'claims_reviewer', 'seller'] as const } },
      schema: {
        tags: ['claims'],
        summary:
          'The marketplace’s reimbursement policy: filing window, cap, buyer-damage share, automatic grants, reply-by and appeal-by',
        params: marketplaceParams,
        querystring: z.object({ at: instant.optional() }),
        response: { 200: claimPolicy, ...errorResponses },
      },
    },
    async (request) =>
      claimSettingsOf(db, request.params.id, request.query.at ? new Date(request.query.at) : new Date()),
  );
  app.put(
    '/api/v1/admin/marketplaces/:id/claim-policy',
    {
      config: { access: { roles: ['admin'] as const } },
      schema: {
        tags: ['claims'],
        summary: 'Set the marketplace’s reimbursement policy (T2), effective now or from `effectiveFrom`',
        params: marketplaceParams,
        body: claimPolicy.extend({ effectiveFrom: instant.optional() }),
        response: { 200: claimPolicy, ...errorResponses },
      },
    },
    async (request) => {
      const { effectiveFrom, ...settings } = request.body;
      const from = effectiveFrom ? new Date(effectiveFrom) : new Date();
      await saveClaimSettings(db, request.params.id, settings, from);
      return claimSettingsOf(db, request.params.id, from);
    },
  );
}
