// S6: which contacts the seller's detail pages could have prevented. Per product and language, the
// product questions buyers asked on its orders: those customer service answered from the page, and
// those that needed the seller (a case-log question). Built on the cases and the case log; the buyers'
// own words are not shown (K5) — only the questions customer service put to the seller, which the
// seller already has in its case log.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';

export async function productQuestions(
  db: Db,
  sellerId: string,
  marketplaceId: string,
  from: Date,
  to: Date,
) {
  const r = await sql<{
    product_external_id: string;
    sku: string;
    language: string;
    title: string | null;
    asked: number;
    from_page: number;
    needed_seller: number;
    questions: { question: string; answer: string | null; askedAt: string }[] | null;
  }>`
    with q as (
      select k.id as case_id, k.language, k.status, l.product_id,
        exists (select 1 from case_log_request r where r.case_id = k.id) as needed_seller
      from cs_case k
        join (select distinct order_id, product_id from order_line where seller_id = ${sellerId}::uuid) l on l.order_id = k.order_id
      where k.seller_id = ${sellerId}::uuid and k.marketplace_id = ${marketplaceId} and k.topic = 'product_question'
        and k.opened_at >= ${from} and k.opened_at < ${to})
    select p.external_id as product_external_id, p.sku, q.language, pp.title,
      count(*)::int as asked,
      (count(*) filter (where not q.needed_seller and q.status in ('resolved', 'closed')))::int as from_page,
      (count(*) filter (where q.needed_seller))::int as needed_seller,
      (select json_agg(json_build_object('question', r.question, 'answer', r.answer, 'askedAt', r.asked_at) order by r.asked_at desc)
        from case_log_request r where r.case_id in (select case_id from q q2 where q2.product_id = q.product_id and q2.language = q.language)) as questions
    from q join product p on p.id = q.product_id
      left join product_page pp on pp.product_id = q.product_id and pp.marketplace_id = ${marketplaceId} and pp.language = q.language
    group by p.external_id, p.sku, q.language, pp.title, q.product_id
    order by needed_seller desc, asked desc, p.external_id, q.language`.execute(db);
  return r.rows.map((x) => ({
    product: x.product_external_id,
    sku: x.sku,
    language: x.language,
    pageTitle: x.title,
    asked: x.asked,
    answeredFromPage: x.from_page,
    neededSeller: x.needed_seller,
    questionsToSeller: (x.questions ?? []).slice(0, 10),
  }));
}
