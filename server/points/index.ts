/** The Points API client, its typed errors and the webhook parser (points-api.md). */
export { createPointsClient, normalizeBaseUrl, pointsBaseUrls, resolveBaseUrl } from './client.ts';
export type {
  PointsClient,
  PointsClientOptions,
  PointsEnvironment,
  CallOptions,
  FetchLike,
  PointsResponseInfo,
} from './client.ts';
export * from './errors.ts';
export { PAYMENT_METHODS } from './requests.ts';
export type {
  CancelInput,
  CheckoutInput,
  CompleteInput,
  CreateWebhookInput,
  EarningInput,
  IntegrationStatusInput,
  ListWebhooksInput,
  ProductRatingInput,
  RefundInput,
  ShippingStatusInput,
  StoreRatingInput,
  UpdateWebhookInput,
} from './requests.ts';
export type {
  CheckoutSession,
  EarningResult,
  IntegrationStatus,
  OrderResource,
  OrderStatus,
  PendingEarning,
  ShippingStatus,
  WebhookList,
  WebhookResource,
} from './schemas.ts';
export { normalizeSaudiPhone } from '../shared/saudi-phone.ts';
export { matchSecret, parsePointsWebhook, pointsWebhookDedupeKey } from './webhook.ts';
export type {
  MerchantEventName,
  MerchantEventPayload,
  OrderEventName,
  OrderEventPayload,
  ParsePointsWebhookInput,
  PointsMerchantWebhook,
  PointsOrderWebhook,
  PointsUnknownWebhook,
  PointsWebhookRejection,
  PointsWebhookResult,
} from './webhook.ts';
