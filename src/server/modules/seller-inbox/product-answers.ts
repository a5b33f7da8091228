// Sellers' answers to product questions, kept with the product (SPEC K2, K3, M3, S6): an answer the
// seller gave in the case log answers the next buyer who asks the same, in the same marketplace and
// language, until the seller changes or withdraws it. Only the seller's own products' answers.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';

export type ProductAnswerRow = {
  id: string;
  product_id: string;
  product_external_id: string;
  seller_id: string;
  marketplace_id: string;
  language: string;
  question: string;
  answer: string;
  request_id: string | null;
  status: 'active' | 'withdrawn';
  created_at: Date;
  updated_at: Date;
  withdrawn_at: Date | null;
};

const columns = sql`a.id, a.product_id, p.external_id as product_external_id, a.seller_id, a.marketplace_id,
  a.language, a.question, a.answer, a.request_id, a.status, a.created_at, a.updated_at, a.withdrawn_at`;

/** Called when the seller answers a product question in the case log: the answer stays with the product. */
type AnsweredRequest = {
  id: string;
  seller_id: string;
  question: string;
  product_id: string | null;
  marketplace_id: string | null;
  language: string | null;
};

export async function keepProductAnswer(db: Db, request: AnsweredRequest, answer: string, at: Date) {
  if (!request.product_id || !request.marketplace_id || !request.language) return;
  await sql`insert into product_answer (product_id, seller_id, marketplace_id, language, question, answer, request_id,
      status, created_at, updated_at)
    values (${request.product_id}::uuid, ${request.seller_id}::uuid, ${request.marketplace_id}, ${request.language},
      ${request.question}, ${answer}, ${request.id}::uuid, 'active', ${at}, ${at})
    on conflict (request_id) do nothing`.execute(db);
}

/** The answers in force for a product's page in a marketplace and language, newest first. */
export async function activeProductAnswers(
  db: Db,
  productId: string,
  marketplaceId: string,
  language: string,
): Promise<ProductAnswerRow[]> {
  const r =
    await sql<ProductAnswerRow>`select ${columns} from product_answer a join product p on p.id = a.product_id
    where a.product_id = ${productId}::uuid and a.marketplace_id = ${marketplaceId} and a.language = ${language}
      and a.status = 'active'
    order by a.updated_at desc limit 200`.execute(db);
  return r.rows;
}

export async function sellerProductAnswers(db: Db, sellerId: string): Promise<ProductAnswerRow[]> {
  const r =
    await sql<ProductAnswerRow>`select ${columns} from product_answer a join product p on p.id = a.product_id
    where a.seller_id = ${sellerId}::uuid order by a.created_at desc limit 500`.execute(db);
  return r.rows;
}

async function ownAnswer(db: Db, id: string, sellerId: string): Promise<ProductAnswerRow> {
  const r =
    await sql<ProductAnswerRow>`select ${columns} from product_answer a join product p on p.id = a.product_id
    where a.id = ${id}::uuid and a.seller_id = ${sellerId}::uuid for update of a`.execute(db);
  // Another seller's answer is as absent as none at all.
  if (!r.rows[0]) throw notFound('Product answer');
  return r.rows[0];
}

export async function changeProductAnswer(db: Db, id: string, sellerId: string, answer: string, at: Date) {
  const row = await ownAnswer(db, id, sellerId);
  if (row.status === 'withdrawn') throw new AppError('conflict', 'This answer was withdrawn');
  await sql`update product_answer set answer = ${answer}, updated_at = ${at} where id = ${id}::uuid`.execute(
    db,
  );
  return { ...row, answer, updated_at: at };
}

export async function withdrawProductAnswer(db: Db, id: string, sellerId: string, at: Date) {
  const row = await ownAnswer(db, id, sellerId);
  if (row.status === 'withdrawn') return row;
  await sql`update product_answer set status = 'withdrawn', withdrawn_at = ${at}, updated_at = ${at}
    where id = ${id}::uuid`.execute(db);
  return { ...row, status: 'withdrawn' as const, withdrawn_at: at, updated_at: at };
}
