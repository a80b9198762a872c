/**
 * Test vectors copied from Customer.io-shaped samples, so the suite runs in a clone without the
 * shared fixtures. The signature is the hex HMAC-SHA1 of `body` keyed with `secret`.
 */
export const SIGNED_PIPELINES_REQUEST = {
  secret: 'example-pipelines-secret',
  signature: '23bdc16a9787628ec848af04232935da98ccedec',
  body: '{"type":"page","messageId":"msg_4a61c0e6a5a5cd76a14e","timestamp":1796045518000,"context":{"ip":"203.0.113.84","userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15","locale":"en-US","traits":{"email":"jane.garcía38+shop@example.com","phone":"16155093305"},"page":{"url":"https://shop.example.com/products/sku-202","path":"/products/sku-202"}},"userId":"cust_1038","anonymousId":"00721f84-54d1-ac6b-d719-61891ef3ea44","name":"Product","properties":{"url":"https://shop.example.com/products/sku-202","path":"/products/sku-202","title":"Product"}}',
} as const;

/** A journeys "send webhook" request rendered from the documented template. */
export const JOURNEY_REQUEST = {
  deliveryId: 'RMehBAAAAXE7r_ONUGXly9DBGkpq1JS31w==',
  idempotencyKey: '6b2f0c9e1d7a4f3c8e5b0a9d2c4e6f81',
  body: '{"event_name":"Checkout Started","event_id":"cio-dlv-7Q2M9X","occurred_at":1796126400,"customer":{"id":"cust_2001","email":" Mary.Ann@Example.com ","phone":"(650) 555-1212","first_name":"Mary Ann","last_name":"O\'Brien","city":"Menlo Park","state":"CA","zip":"94025-1234","country":"United States"},"properties":{"checkout_id":"chk_5511","value":"54.97","currency":"usd","products":[{"product_id":"sku-101","price":34.0,"quantity":1},{"product_id":"sku-202","price":20.97,"quantity":1}]},"context":{"ip":"203.0.113.24","user_agent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)","page_url":"https://shop.example.com/checkout","fbc":"fb.1.1796116000123.IwAR2F4xYz-Ab_c","fbp":"fb.1.1793520000000.1098115397"}}',
} as const;

/** Where the shared Customer.io samples sit in a development checkout, when present. */
export const SHARED_FIXTURES_DIR = `${__dirname}/../../../shared/fixtures/customerio`;
