import { z } from 'zod';
import { minorAmount } from './common';

// Issue 18 item 10: a draft return window and/or a draft agent concession limit, judged against a past
// month's real returns and concessions (default: last month). At least one draft.
export const policySimulationBody = z
  .object({
    marketplace: z.string().regex(/^[A-Z]{2,8}$/),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
      .optional(),
    returnWindowDays: z.number().int().min(1).max(365).optional(),
    agentConcessionLimit: minorAmount.optional(),
  })
  .refine((b) => b.returnWindowDays !== undefined || b.agentConcessionLimit !== undefined, {
    message: 'a draft return window or concession limit',
    path: ['returnWindowDays'],
  });
export type PolicySimulationBody = z.infer<typeof policySimulationBody>;
