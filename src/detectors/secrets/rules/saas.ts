// Communication, payments, commerce, productivity and identity services.
import { ALNUM, HEX, UUID, custom, keyed, prefixed, suffixed } from '../rule.ts';
import type { SecretRule } from '../rule.ts';

export const SAAS_RULES: SecretRule[] = [
  // Slack token types (Slack API docs, "Token types"): xoxb bot, xoxp user, xapp app-level, xoxe
  // refresh/config, and the legacy xoxa/xoxo/xoxr/xoxs. Numeric team/user ids, then a secret part.
  prefixed('slack-bot-token', 'Slack bot token', ['xoxb-'], 'xoxb-\\d{5,15}-(?:\\d{5,15}-)?(?:\\d{5,15}-)?[A-Za-z0-9]{6,80}(?![#*-])', { score: 0.97 }),
  prefixed('slack-user-token', 'Slack user token', ['xoxp-'], 'xoxp-\\d{5,15}-(?:\\d{5,15}-)?(?:\\d{5,15}-)?[A-Za-z0-9]{6,80}(?![#*-])', { score: 0.97 }),
  prefixed('slack-legacy-token', 'Slack legacy token', ['xoxa-', 'xoxo-', 'xoxr-', 'xoxs-', 'xoxe-'], 'xox[aorse]-\\d{5,15}-(?:\\d{5,15}-)?(?:\\d{5,15}-)?[A-Za-z0-9]{6,80}(?![#*-])', {
    score: 0.95,
  }),
  prefixed('slack-app-token', 'Slack app-level token', ['xapp-'], 'xapp-\\d-[A-Z0-9]{9,12}-\\d{10,16}-[A-Za-z0-9]{40,80}', { score: 0.97 }),
  prefixed('slack-config-token', 'Slack configuration token', ['xoxe.xox', 'xoxe-1-'], 'xoxe\\.xox[bp]-1-[A-Za-z0-9]{100,300}|xoxe-1-[A-Za-z0-9-]{100,300}', { score: 0.95 }),
  custom('slack-webhook-url', 'Slack incoming webhook URL', ['hooks.slack.com'], /https?:\/\/hooks\.slack\.com\/(?:services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{16,32}|(?:workflows|triggers)\/T[A-Z0-9]{6,12}\/A[A-Z0-9]{6,12}\/\d{10,20}\/[A-Za-z0-9]{16,40})/dg, {
    score: 0.95,
    severity: 'high',
    placeholder: 'markers',
  }),
  custom(
    'microsoft-teams-webhook',
    'Microsoft Teams incoming webhook URL',
    ['webhook.office.com'],
    /https:\/\/[a-z0-9-]{1,60}\.webhook\.office\.com\/webhookb2\/[a-f0-9-]{36}@[a-f0-9-]{36}\/IncomingWebhook\/[a-f0-9]{32}\/[a-f0-9-]{36}(?:\/[A-Za-z0-9_-]{40,60})?/dg,
    { score: 0.9, severity: 'high', placeholder: 'markers' },
  ),
  custom('discord-webhook-url', 'Discord webhook URL', ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'], /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,70}/dg, {
    score: 0.95,
    severity: 'high',
    placeholder: 'markers',
  }),
  // Discord bot tokens: base64 of the numeric bot id (so M/N/O first), timestamp, HMAC.
  custom('discord-bot-token', 'Discord bot token', ['discord', 'bot'], /(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/dg, {
    score: 0.9,
    severity: 'high',
    placeholder: 'markers',
    minEntropy: 4,
  }),
  keyed('discord-client-secret', 'Discord client secret', ['discord'], '[A-Za-z0-9_-]{32}', { score: 0.75 }),
  // Telegram bot tokens: "<bot id>:<35-character secret>" (Bot API docs, "Authorizing your bot");
  // issued secrets start "AA".
  prefixed('telegram-bot-token', 'Telegram bot token', [':aa'], '\\d{8,10}:AA[A-Za-z0-9_-]{33}', { score: 0.9, anchored: false }),
  keyed('telegram-bot-token-keyed', 'Telegram bot token', ['telegram', 'tg_bot', 'bot_token'], '\\d{5,10}:[A-Za-z0-9_-]{35}', { score: 0.85 }),
  keyed('mattermost-token', 'Mattermost access token', ['mattermost'], '[a-z0-9]{26}', { score: 0.7 }),
  keyed('twitch-token', 'Twitch API token', ['twitch'], '[a-z0-9]{30}', { score: 0.75 }),
  keyed('twitter-api-key', 'Twitter / X API key or secret', ['twitter'], `${ALNUM(25)}|${ALNUM(50)}`, { score: 0.75 }),
  prefixed('twitter-bearer-token', 'Twitter / X bearer token', ['aaaaaaaaaaaaaaaaaaaaa'], 'A{21}[A-Za-z0-9%]{50,120}', { score: 0.9 }),
  prefixed('facebook-access-token', 'Facebook access token', ['eaa'], 'EAA[CG][A-Za-z0-9]{100,400}', { score: 0.85 }),
  custom('facebook-app-token', 'Facebook app access token', ['facebook', 'fb_', 'fb-', 'access_token'], /(?<![0-9])\d{15,16}\|[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])/dg, {
    score: 0.85,
    severity: 'high',
    placeholder: 'markers',
  }),
  keyed('facebook-secret', 'Facebook app secret', ['facebook', 'fb_secret', 'fb_app_secret'], HEX(32), { score: 0.8 }),
  keyed('linkedin-client-secret', 'LinkedIn client secret', ['linkedin'], ALNUM(16), { score: 0.7 }),
  prefixed('dropbox-short-lived-token', 'Dropbox short-lived access token', ['sl.'], 'sl\\.[A-Za-z0-9_-]{130,152}', { score: 0.9 }),
  keyed('dropbox-token', 'Dropbox access token', ['dropbox'], '[A-Za-z0-9_-]{64}', { score: 0.75 }),
  keyed('asana-pat', 'Asana personal access token', ['asana'], `[0-9]/[0-9]{10,20}(?:/[0-9]{10,20})?:${HEX(32)}`, { score: 0.9 }),
  prefixed('notion-integration-token', 'Notion integration token', ['ntn_'], 'ntn_[0-9]{11}[A-Za-z0-9]{35}'),
  prefixed('notion-integration-token-legacy', 'Notion integration token', ['secret_'], 'secret_[A-Za-z0-9]{43}', {
    score: 0.85,
    verify: (c) => /[0-9]/.test(c.value) && /[a-z]/.test(c.value) && /[A-Z]/.test(c.value),
  }),
  prefixed('airtable-pat', 'Airtable personal access token', ['pat'], `pat[A-Za-z0-9]{14}\\.${HEX(64)}`),
  keyed('airtable-api-key', 'Airtable API key', ['airtable'], 'key[A-Za-z0-9]{14}', { score: 0.8 }),
  prefixed('clickup-api-token', 'ClickUp personal API token', ['pk_'], 'pk_\\d{6,10}_[A-Z0-9]{32}'),
  prefixed('trello-token', 'Trello token', ['atta'], `ATTA${HEX(64)}[A-F0-9]{0,8}`, { score: 0.9 }),
  keyed('trello-api-key', 'Trello API key', ['trello'], HEX(32), { score: 0.75 }),
  keyed('intercom-access-token', 'Intercom access token', ['intercom'], '[A-Za-z0-9=_-]{60}', { score: 0.75 }),
  keyed('zendesk-api-token', 'Zendesk API token', ['zendesk'], ALNUM(40), { score: 0.75 }),
  keyed('freshbooks-token', 'FreshBooks access token', ['freshbooks'], ALNUM(64), { score: 0.7 }),
  prefixed('hubspot-private-app-token', 'HubSpot private app token', ['pat-na1-', 'pat-eu1-'], `pat-(?:na|eu)1-${UUID}`),
  keyed('hubspot-api-key', 'HubSpot API key', ['hubspot', 'hapikey'], UUID, { score: 0.8 }),
  prefixed('salesforce-access-token', 'Salesforce access token', ['00d'], '00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,120}', { score: 0.9 }),
  keyed('okta-api-token', 'Okta API token', ['okta'], '00[A-Za-z0-9_-]{40}', { score: 0.85 }),
  keyed('auth0-client-secret', 'Auth0 client secret', ['auth0'], '[A-Za-z0-9_-]{64}', { score: 0.75 }),
  prefixed('mapbox-secret-token', 'Mapbox secret token', ['sk.eyj1'], 'sk\\.eyJ1[A-Za-z0-9_-]{20,200}\\.[A-Za-z0-9_-]{20,40}'),
  prefixed('tailscale-key', 'Tailscale key', ['tskey-'], 'tskey-[a-z]{2,10}-[A-Za-z0-9]{10,14}-[A-Za-z0-9]{20,40}'),
  custom('cloudinary-url', 'Cloudinary credentials URL', ['cloudinary://'], /cloudinary:\/\/\d{10,20}:([A-Za-z0-9_-]{20,40})@[a-z0-9_-]{1,60}/dg, {
    score: 0.95,
    severity: 'high',
    placeholder: 'markers',
    anchored: true,
  }),
  keyed('beamer-api-token', 'Beamer API token', ['beamer'], 'b_[A-Za-z0-9=_-]{44}', { score: 0.85 }),
  keyed('squarespace-api-key', 'Squarespace API key', ['squarespace'], UUID, { score: 0.7 }),
  keyed('gitter-token', 'Gitter access token', ['gitter'], '[a-z0-9_-]{40}', { score: 0.7 }),
  keyed('etsy-api-key', 'Etsy API key', ['etsy'], '[a-z0-9]{24}', { score: 0.7 }),
  keyed('mailjet-api-key', 'Mailjet API key', ['mailjet'], HEX(32), { score: 0.75 }),
  keyed('sparkpost-api-key', 'SparkPost API key', ['sparkpost'], HEX(40), { score: 0.75 }),
  keyed('postmark-token', 'Postmark server token', ['postmark'], UUID, { score: 0.75 }),
  keyed('mandrill-api-key', 'Mandrill API key', ['mandrill'], '[A-Za-z0-9_-]{22}', { score: 0.75 }),
  keyed('messagebird-api-key', 'MessageBird API key', ['messagebird', 'message_bird', 'message-bird'], `${ALNUM(25)}|${UUID}`, { score: 0.75 }),
  keyed('nytimes-api-key', 'New York Times API key', ['nytimes', 'nyt_'], '[A-Za-z0-9=_-]{32}', { score: 0.7 }),
  keyed('etherscan-api-key', 'Etherscan API key', ['etherscan'], '[A-Z0-9]{34}', { score: 0.75 }),
  keyed('infura-api-key', 'Infura API key', ['infura'], HEX(32), { score: 0.75 }),
  keyed('alchemy-api-key', 'Alchemy API key', ['alchemy'], '[A-Za-z0-9_-]{32}', { score: 0.7 }),
  keyed('finnhub-api-key', 'Finnhub API key', ['finnhub'], '[a-z0-9]{20}', { score: 0.7 }),

  // Email delivery.
  prefixed('sendgrid-api-key', 'SendGrid API key', ['sg.'], 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', { score: 0.99 }),
  prefixed('mailgun-api-key', 'Mailgun private API key', ['key-'], 'key-[0-9a-z]{32}', { score: 0.85 }),
  keyed('mailgun-signing-key', 'Mailgun webhook signing key', ['mailgun'], '[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}', { score: 0.85 }),
  // Mailchimp API keys: 32 hex + "-us" + datacenter number.
  suffixed('mailchimp-api-key', 'Mailchimp API key', ['-us'], { source: HEX(32), length: 32 }, '-us\\d{1,2}', { score: 0.95 }),
  prefixed('brevo-api-key', 'Brevo (Sendinblue) API key', ['xkeysib-', 'xsmtpsib-'], `x(?:keysib|smtpsib)-${HEX(64)}-${ALNUM(16)}`, { score: 0.99 }),
  // Twilio: API key SIDs are "SK" + 32 hex; the auth token is 32 hex next to the word twilio.
  prefixed('twilio-api-key', 'Twilio API key SID', ['sk'], `SK${HEX(32)}`, { score: 0.8, minEntropy: 3 }),
  keyed('twilio-auth-token', 'Twilio auth token', ['twilio'], HEX(32), { score: 0.85 }),

  // Payments and commerce.
  prefixed('stripe-secret-key', 'Stripe live secret key', ['sk_live_'], 'sk_live_[A-Za-z0-9]{20,247}', { score: 0.99, severity: 'critical' }),
  prefixed('stripe-restricted-key', 'Stripe live restricted key', ['rk_live_'], 'rk_live_[A-Za-z0-9]{20,247}', { score: 0.99, severity: 'critical' }),
  prefixed('stripe-test-key', 'Stripe test-mode secret key', ['sk_test_', 'rk_test_'], '[sr]k_test_[A-Za-z0-9]{20,247}', { score: 0.8, severity: 'medium' }),
  prefixed('stripe-webhook-secret', 'Stripe webhook signing secret', ['whsec_'], 'whsec_[A-Za-z0-9+/]{32,64}={0,2}'),
  // Shopify token prefixes (Shopify dev docs): shpat admin, shpca custom app, shppa private app,
  // shpss shared secret; 32 hex.
  prefixed('shopify-access-token', 'Shopify admin API access token', ['shpat_'], `shpat_${HEX(32)}`, { score: 0.99 }),
  prefixed('shopify-custom-app-token', 'Shopify custom app access token', ['shpca_'], `shpca_${HEX(32)}`, { score: 0.99 }),
  prefixed('shopify-private-app-token', 'Shopify private app access token', ['shppa_'], `shppa_${HEX(32)}`, { score: 0.99 }),
  prefixed('shopify-shared-secret', 'Shopify shared secret', ['shpss_'], `shpss_${HEX(32)}`, { score: 0.99 }),
  // Square: sq0atp- access tokens, sq0csp- OAuth secrets, EAAA production access tokens.
  prefixed('square-access-token', 'Square access token', ['sq0atp-', 'eaaa'], 'sq0atp-[A-Za-z0-9_-]{22}|EAAA[A-Za-z0-9_-]{60}'),
  prefixed('square-oauth-secret', 'Square OAuth secret', ['sq0csp-'], 'sq0csp-[A-Za-z0-9_-]{43}'),
  // Braintree access tokens: access_token$<env>$<merchant id>$<32 hex>.
  prefixed('braintree-access-token', 'PayPal Braintree access token', ['access_token$'], `access_token\\$(?:production|sandbox)\\$[a-z0-9]{16}\\$${HEX(32)}`, { score: 0.99, severity: 'critical' }),
  keyed('paypal-client-secret', 'PayPal client secret', ['paypal'], '[A-Za-z0-9_-]{80}', { score: 0.75 }),
  keyed('adyen-api-key', 'Adyen API key', ['adyen'], 'AQE[A-Za-z0-9+/=._-]{60,400}', { score: 0.85 }),
  keyed('razorpay-key-secret', 'Razorpay key secret', ['razorpay'], ALNUM(24), { score: 0.75 }),
  prefixed('flutterwave-secret-key', 'Flutterwave secret key', ['flwseck'], `FLWSECK(?:_TEST)?-${HEX(32)}-X|FLWSECK_TEST${HEX(12)}`, { score: 0.95 }),
  keyed('coinbase-api-secret', 'Coinbase API secret', ['coinbase'], '[A-Za-z0-9_-]{64}', { score: 0.75 }),
  keyed('kraken-api-secret', 'Kraken API secret', ['kraken'], '[A-Za-z0-9/=_+-]{80,90}', { score: 0.75 }),
  keyed('binance-api-secret', 'Binance API key or secret', ['binance'], ALNUM(64), { score: 0.75 }),
  prefixed('plaid-access-token', 'Plaid access token', ['access-sandbox-', 'access-development-', 'access-production-'], `access-(?:sandbox|development|production)-${UUID}`),
  keyed('plaid-secret', 'Plaid secret', ['plaid'], '[a-f0-9]{30}', { score: 0.75 }),
  keyed('gocardless-token', 'GoCardless access token', ['gocardless'], 'live_[A-Za-z0-9_=-]{40}', { score: 0.9 }),
  keyed('lob-api-key', 'Lob API key', ['lob'], `(?:live|test)_${HEX(35)}`, { score: 0.8 }),
  prefixed('shippo-api-token', 'Shippo API token', ['shippo_live_', 'shippo_test_'], `shippo_(?:live|test)_${HEX(40)}`),
  prefixed('easypost-api-key', 'EasyPost API key', ['ezak', 'eztk'], 'EZ[AT]K[A-Za-z0-9]{54}'),
  prefixed('duffel-api-token', 'Duffel API token', ['duffel_test_', 'duffel_live_'], 'duffel_(?:test|live)_[A-Za-z0-9_=-]{43}'),
];
