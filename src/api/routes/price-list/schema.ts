import { Type, type Static } from '@sinclair/typebox';
import { AUTH_ERRORS, errorResponses } from '../../common-schemas.js';
import { DOMAIN_CHECKED } from '../../schema-validation.js';

const fee = (description: string) => Type.Integer({ minimum: 0, description: `${description} (minor units)`, ...DOMAIN_CHECKED });

/** The operator's price list; every amount is integer minor units of `currency`. */
export const PriceListSchema = Type.Object(
  {
    currency: Type.String({ description: 'ISO 4217', examples: ['PLN'], ...DOMAIN_CHECKED }),
    extensionMonthlyMinor: fee('Monthly fee of one extension'),
    optionMonthlyMinor: Type.Object(
      {
        voicemail: fee('Monthly fee of voicemail'),
        monitoring: fee('Monthly fee of monitoring'),
        fax: fee('Monthly fee of fax'),
        encryption: fee('Monthly fee of encryption'),
      },
      { additionalProperties: false, ...DOMAIN_CHECKED },
    ),
    activationMinor: fee('One-time fee when an extension is created'),
  },
  { additionalProperties: false, title: 'PriceList' },
);
/** Static type of {@link PriceListSchema}. */
export type PriceListBody = Static<typeof PriceListSchema>;

/** Schema of GET /price-list. */
export const getPriceListSchema = {
  summary: 'The price list in force (operator)',
  tags: ['price list'],
  response: { 200: PriceListSchema, ...errorResponses(...AUTH_ERRORS) },
};

/** Schema of PUT /price-list. */
export const putPriceListSchema = {
  summary: 'Replace the price list (operator); quotes made before no longer confirm',
  tags: ['price list'],
  body: PriceListSchema,
  response: { 200: PriceListSchema, ...errorResponses(...AUTH_ERRORS) },
};
