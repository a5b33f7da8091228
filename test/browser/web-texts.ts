// Every namespace's texts, read as the pages read them (src/web/**/texts.ts, namespace = folder).
import { texts as cases } from '../../src/web/modules/cases/texts';
import { texts as codes } from '../../src/web/shared/codes/texts';
import { texts as shared } from '../../src/web/shared/texts';

export const textsByNamespace = { cases, codes, shared } as Record<
  string,
  Record<string, Record<string, string>>
>;
