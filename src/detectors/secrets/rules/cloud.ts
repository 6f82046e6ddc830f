// Cloud and infrastructure providers. Formats come from the providers' own documentation and
// announcements (token prefixes, lengths, alphabets); where a fact comes from elsewhere it says so.
import { ALNUM, HEX, UUID, custom, keyed, prefixed, suffixed } from '../rule.ts';
import type { SecretRule } from '../rule.ts';
import { isPlaceholder, shannonEntropy } from '../entropy.ts';

const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/;
const AWS_SECRET_CANDIDATE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

export const CLOUD_RULES: SecretRule[] = [
  // AWS IAM unique-id prefixes (IAM user guide, "Unique identifiers"): AKIA long-term access key,
  // ASIA temporary (STS) key. The rest is base32. AWS's own docs use AKIAIOSFODNN7EXAMPLE.
  prefixed('aws-access-key-id', 'AWS access key id', ['akia', 'asia', 'abia', 'acca'], '(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}', {
    score: 0.95,
    severity: 'critical',
    verify: (c) => !c.value.endsWith('EXAMPLE'),
  }),
  keyed(
    'aws-secret-access-key',
    'AWS secret access key',
    ['aws_secret', 'aws-secret', 'awssecret', 'aws secret', 'secret_access_key', 'secretaccesskey', 'secret-access-key'],
    '[A-Za-z0-9/+]{40}',
    { score: 0.95, severity: 'critical', minEntropy: 4 },
  ),
  // A 40-character base64 string close to an access key id is that key's secret, whatever it is
  // called. Anchored on the key id (a literal prefix), then the window around it is searched.
  custom('aws-secret-access-key-pair', 'AWS secret access key (next to its access key id)', ['akia', 'asia'], new RegExp(AWS_KEY_ID.source, 'dg'), {
    score: 0.9,
    severity: 'critical',
    placeholder: 'none',
    anchored: true,
    verify: (c) => {
      const from = Math.max(0, c.start - 300);
      const window = c.text.slice(from, Math.min(c.text.length, c.end + 300));
      AWS_SECRET_CANDIDATE.lastIndex = 0;
      for (let m = AWS_SECRET_CANDIDATE.exec(window); m !== null; m = AWS_SECRET_CANDIDATE.exec(window)) {
        const v = m[0];
        if (!/[0-9]/.test(v) || !/[a-z]/.test(v) || !/[A-Z]/.test(v) || shannonEntropy(v) < 4.2 || isPlaceholder(v, true)) continue;
        return { start: from + m.index, end: from + m.index + v.length };
      }
      return false;
    },
  }),
  // STS session tokens are base64 of a protobuf whose first bytes are fixed.
  prefixed('aws-session-token', 'AWS session token', ['fwogzxivyxdze', 'iqojb3jpz2lux2vj'], '(?:FwoGZXIvYXdzE|IQoJb3JpZ2luX2Vj)[A-Za-z0-9/+]{100,1500}={0,2}', {
    score: 0.95,
    severity: 'critical',
  }),
  // Bedrock API keys: long-term "ABSK" + base64("BedrockAPIKey-…"), short-term
  // "bedrock-api-key-" + base64("bedrock.amazonaws.com…") (Amazon Bedrock user guide, API keys).
  prefixed('aws-bedrock-api-key', 'Amazon Bedrock long-term API key', ['absk'], 'ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{20,400}={0,2}', {
    severity: 'critical',
  }),
  prefixed('aws-bedrock-short-term-key', 'Amazon Bedrock short-term API key', ['bedrock-api-key-'], 'bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%&._-]{0,4000}', {
    severity: 'critical',
  }),
  prefixed('aws-mws-auth-token', 'Amazon MWS auth token', ['amzn.mws.'], `amzn\\.mws\\.${UUID}`),

  // Google: API keys (AIza + 35), OAuth client secrets (GOCSPX-), OAuth access/refresh tokens.
  prefixed('gcp-api-key', 'Google API key', ['aiza'], 'AIza[A-Za-z0-9_-]{35}', { severity: 'high' }),
  prefixed('gcp-oauth-client-secret', 'Google OAuth client secret', ['gocspx-'], 'GOCSPX-[A-Za-z0-9_-]{28}'),
  prefixed('gcp-oauth-access-token', 'Google OAuth access token', ['ya29.'], 'ya29\\.[A-Za-z0-9_-]{30,1200}', { score: 0.85 }),
  prefixed('gcp-oauth-refresh-token', 'Google OAuth refresh token', ['1//0'], '1//0[A-Za-z0-9_-]{40,512}', { score: 0.8 }),
  // The marker of a service-account key file. A file whose key fields are stand-ins ("…",
  // "your-project") is a template; the private key itself is reported by the private-key rule.
  custom('gcp-service-account', 'Google Cloud service-account key file', ['service_account'], /"type"\s{0,3}:\s{0,3}"service_account"/dg, {
    score: 0.6,
    severity: 'medium',
    placeholder: 'none',
    verify: (c) => {
      const around = c.text.slice(Math.max(0, c.start - 2000), Math.min(c.text.length, c.end + 4000));
      const keyId = /"private_key_id"\s{0,3}:\s{0,3}"([^"]{0,100})"/.exec(around)?.[1];
      if (keyId === undefined) return true;
      return /^[a-f0-9]{40}$/.test(keyId) ? 0.9 : false;
    },
  }),
  prefixed('firebase-fcm-server-key', 'Firebase Cloud Messaging server key', [':apa91b'], 'AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{120,160}', { anchored: false }),

  // Azure: storage account keys are 64 random bytes in base64 (86 chars + "=="); Service Bus /
  // Event Hubs / IoT Hub shared access keys are 32 bytes (43 + "="). Entra client secrets carry
  // "Q~" after three characters and a digit (as observed in issued secrets; also used by gitleaks).
  custom('azure-storage-account-key', 'Azure storage account key', ['accountkey='], /AccountKey=([A-Za-z0-9+/]{86}==)/dg, {
    score: 0.97,
    severity: 'critical',
    placeholder: 'markers',
    anchored: true,
  }),
  custom('azure-shared-access-key', 'Azure shared access key (Service Bus / Event Hubs / IoT Hub)', ['sharedaccesskey='], /SharedAccessKey=([A-Za-z0-9+/]{42,43}=)/dg, {
    score: 0.95,
    severity: 'critical',
    placeholder: 'markers',
    anchored: true,
  }),
  custom('azure-sas-token', 'Azure shared access signature', ['sig='], /(?<=[?&;])sig=([A-Za-z0-9%+/]{40,100}(?:%3D|=){0,2})(?![A-Za-z0-9%+/])/dg, {
    score: 0.8,
    severity: 'high',
    placeholder: 'markers',
    anchored: true,
    verify: (c) => /[?&;](?:sv|se|sp)=/.test(c.text.slice(Math.max(0, c.start - 400), c.start)),
  }),
  custom(
    'azure-ad-client-secret',
    'Azure AD (Entra ID) client secret',
    ['q~'],
    /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/dg,
    { score: 0.9, severity: 'critical', placeholder: 'markers' },
  ),
  // Azure DevOps PATs: legacy 52 base32 chars; 2024 format 84 chars with "AZDO" at 76–79
  // (Azure DevOps blog, "New Azure DevOps PAT format").
  suffixed('azure-devops-pat', 'Azure DevOps personal access token', ['azdo'], { source: ALNUM(76), length: 76 }, `AZDO${ALNUM(4)}`, { score: 0.97 }),
  keyed('azure-devops-pat-legacy', 'Azure DevOps personal access token', ['azure_devops', 'azuredevops', 'azure-devops', 'ado_pat', 'ado_token', 'vsts'], '[a-z2-7]{52}', { score: 0.85 }),
  keyed('azure-openai-key', 'Azure OpenAI key', ['azure_openai', 'azure-openai', 'azureopenai', 'azure_ai', 'cognitive'], HEX(32), { score: 0.8 }),
  custom('azure-app-configuration', 'Azure App Configuration connection string secret', ['.azconfig.io'], /Endpoint=https:\/\/[A-Za-z0-9-]{1,60}\.azconfig\.io;Id=[^;\s]{1,80};Secret=([A-Za-z0-9+/]{40,64}={0,2})/dg, {
    score: 0.95,
    severity: 'critical',
    placeholder: 'markers',
  }),

  // Other clouds and hosting.
  prefixed('alibaba-access-key-id', 'Alibaba Cloud AccessKey id', ['ltai'], 'LTAI[A-Za-z0-9]{12,20}', { score: 0.9 }),
  keyed('alibaba-secret-key', 'Alibaba Cloud AccessKey secret', ['alibaba', 'aliyun', 'accesskeysecret', 'access_key_secret'], ALNUM(30), { score: 0.85 }),
  prefixed('tencent-secret-id', 'Tencent Cloud SecretId', ['akid'], 'AKID[A-Za-z0-9]{32}', { score: 0.85 }),
  keyed('tencent-secret-key', 'Tencent Cloud SecretKey', ['tencent', 'secretkey'], ALNUM(32), { score: 0.75 }),
  keyed('ibm-cloud-api-key', 'IBM Cloud API key', ['ibm_cloud', 'ibmcloud', 'ibm-cloud', 'bluemix', 'ibm_api'], '[A-Za-z0-9_-]{44}', { score: 0.8 }),
  keyed('oracle-oci-key-fingerprint', 'Oracle Cloud API signing key fingerprint', ['oci_fingerprint', 'oci-fingerprint'], '(?:[a-f0-9]{2}:){15}[a-f0-9]{2}', {
    score: 0.5,
    severity: 'low',
  }),
  prefixed('digitalocean-pat', 'DigitalOcean personal access token', ['dop_v1_'], `dop_v1_${HEX(64)}`, { score: 0.99, severity: 'critical' }),
  prefixed('digitalocean-oauth-token', 'DigitalOcean OAuth token', ['doo_v1_'], `doo_v1_${HEX(64)}`, { score: 0.99 }),
  prefixed('digitalocean-refresh-token', 'DigitalOcean OAuth refresh token', ['dor_v1_'], `dor_v1_${HEX(64)}`, { score: 0.99 }),
  keyed('heroku-api-key', 'Heroku API key', ['heroku'], UUID, { score: 0.85 }),
  prefixed('heroku-api-key-v2', 'Heroku API key', ['hrku-'], 'HRKU-[A-Za-z0-9_-]{60}', { score: 0.97 }),
  keyed('linode-token', 'Linode personal access token', ['linode'], HEX(64), { score: 0.85 }),
  keyed('vultr-api-key', 'Vultr API key', ['vultr'], '[A-Z0-9]{36}', { score: 0.85 }),
  keyed('scaleway-secret-key', 'Scaleway secret key', ['scaleway', 'scw_secret'], UUID, { score: 0.8 }),
  keyed('hetzner-api-token', 'Hetzner Cloud API token', ['hetzner', 'hcloud'], ALNUM(64), { score: 0.85 }),
  // Cloudflare's scannable token prefixes (account cfat_, user cfut_, global key cfk_) with a 48-char body,
  // as exercised by secretlint's Cloudflare rule fixtures.
  prefixed('cloudflare-api-token', 'Cloudflare API token', ['cfat_', 'cfut_', 'cfk_'], 'cf(?:at|ut|k)_[A-Za-z0-9]{48}', { score: 0.95 }),
  keyed('cloudflare-api-key', 'Cloudflare API key', ['cloudflare', 'cf_api', 'cf-api', 'x-auth-key'], '[A-Za-z0-9_-]{40}|[a-f0-9]{37}', { score: 0.75 }),
  prefixed('cloudflare-origin-ca-key', 'Cloudflare Origin CA key', ['v1.0-'], `v1\\.0-${HEX(24)}-${HEX(146)}`),
  prefixed('fly-io-token', 'Fly.io access token', ['flyv1 '], 'FlyV1 fm[12][ar]?_[A-Za-z0-9+/=,_-]{100,3000}', { score: 0.95 }),
  prefixed('fly-io-org-token', 'Fly.io organization token', ['fo1_'], 'fo1_[A-Za-z0-9_-]{43}'),
  keyed('vercel-token', 'Vercel access token', ['vercel'], ALNUM(24), { score: 0.8 }),
  prefixed('netlify-pat', 'Netlify personal access token', ['nfp_'], 'nfp_[A-Za-z0-9]{36}'),
  keyed('netlify-token', 'Netlify access token', ['netlify'], '[A-Za-z0-9_-]{40,46}', { score: 0.75 }),
  prefixed('render-api-key', 'Render API key', ['rnd_'], 'rnd_[A-Za-z0-9]{32}', { score: 0.9 }),
  keyed('railway-token', 'Railway API token', ['railway'], UUID, { score: 0.75 }),
  prefixed('supabase-pat', 'Supabase personal access token', ['sbp_'], `sbp_${HEX(40)}`),
  prefixed('supabase-secret-key', 'Supabase secret key', ['sb_secret_'], 'sb_secret_[A-Za-z0-9_-]{20,64}'),
  prefixed('neon-api-key', 'Neon API key', ['napi_'], 'napi_[a-z0-9]{64}', { score: 0.9 }),
  prefixed('planetscale-token', 'PlanetScale token or password', ['pscale_tkn_', 'pscale_oauth_', 'pscale_pw_'], 'pscale_(?:tkn|oauth|pw)_[A-Za-z0-9=._-]{32,64}'),
  keyed('upstash-token', 'Upstash token', ['upstash'], '[A-Za-z0-9_=-]{40,120}', { score: 0.75 }),
  prefixed('openshift-user-token', 'OpenShift user token', ['sha256~'], 'sha256~[A-Za-z0-9_-]{43}', { score: 0.9 }),
  suffixed('terraform-cloud-token', 'Terraform Cloud / HCP API token', ['.atlasv1.'], { source: ALNUM(14), length: 14 }, '\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}', { score: 0.97 }),
  // HashiCorp Vault 1.10+ token prefixes (Vault docs, "Tokens"): hvs service, hvb batch, hvr recovery.
  prefixed('vault-service-token', 'HashiCorp Vault service token', ['hvs.'], 'hvs\\.[A-Za-z0-9_-]{90,120}', { score: 0.97, severity: 'critical' }),
  prefixed('vault-batch-token', 'HashiCorp Vault batch token', ['hvb.'], 'hvb\\.[A-Za-z0-9_-]{138,300}', { score: 0.97, severity: 'critical' }),
  prefixed('vault-recovery-token', 'HashiCorp Vault recovery token', ['hvr.'], 'hvr\\.[A-Za-z0-9_-]{90,120}', { score: 0.97, severity: 'critical' }),
  keyed('vault-legacy-token', 'HashiCorp Vault token (legacy format)', ['vault', 'token'], 's\\.[A-Za-z0-9]{24}', {
    score: 0.75,
    verify: (c) => /[0-9]/.test(c.value) && /[a-z]/.test(c.value) && /[A-Z]/.test(c.value),
  }),
  prefixed('doppler-token', 'Doppler token', ['dp.pt.', 'dp.st.', 'dp.ct.', 'dp.sa.', 'dp.scim.', 'dp.audit.'], 'dp\\.(?:pt|st|ct|sa|scim|audit)\\.[A-Za-z0-9]{40,44}', {
    score: 0.97,
  }),
  prefixed('onepassword-service-account-token', '1Password service account token', ['ops_eyj'], 'ops_eyJ[A-Za-z0-9+/]{250,2000}={0,3}', { score: 0.97, severity: 'critical' }),
  prefixed('onepassword-secret-key', '1Password account secret key', ['a3-'], 'A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}', {
    score: 0.9,
    severity: 'critical',
  }),
  prefixed('infisical-token', 'Infisical service token', ['st.'], `st\\.${UUID}\\.${HEX(32)}\\.${HEX(32)}`, { score: 0.9 }),
  // age X25519 identities are Bech32 with HRP "AGE-SECRET-KEY-" (age spec, C2SP).
  prefixed('age-secret-key', 'age secret key', ['age-secret-key-1'], 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}', { score: 0.99, severity: 'critical' }),
  prefixed('pulumi-access-token', 'Pulumi access token', ['pul-'], `pul-${HEX(40)}`),
  prefixed('octopus-deploy-api-key', 'Octopus Deploy API key', ['api-'], 'API-[A-Z0-9]{26}', { score: 0.85 }),
  keyed('kubernetes-token', 'Kubernetes service account token', ['kube_token', 'k8s_token', 'kubernetes_token'], 'eyJ[A-Za-z0-9_-]{10,100}\\.eyJ[A-Za-z0-9_-]{10,2000}\\.[A-Za-z0-9_-]{10,1000}', {
    score: 0.85,
  }),
];
