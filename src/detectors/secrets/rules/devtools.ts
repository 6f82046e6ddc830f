// Source hosting, CI/CD, package registries, observability. Prefixes and lengths from the vendors'
// token-format documentation and announcements.
import { hasBase62Crc32, isBasicCredential } from '../checks.ts';
import { ALNUM, HEX, UUID, custom, keyed, prefixed, suffixed } from '../rule.ts';
import type { Candidate, SecretRule } from '../rule.ts';

// Well-formed (checksum verified) tokens score higher; a bad checksum is still reported, because
// the format alone is specific and test/fake tokens leak the same way.
const crc = (prefixLength: number) => (c: Candidate) => (hasBase62Crc32(c.value, prefixLength) ? 0.99 : true);

// GitLab token prefixes (GitLab docs, "Token overview → Token prefixes"). Routable tokens (2024+)
// append a base64 payload, a 2-char version and a 7-char CRC.
const GITLAB_BODY = (n: number) => `[A-Za-z0-9_-]{${n}}(?:[A-Za-z0-9_-]{7,280}\\.[0-9a-z]{2}\\.?[0-9a-z]{7})?`;

export const DEVTOOLS_RULES: SecretRule[] = [
  // GitHub (github.blog 2021-04-05): ghp personal, gho OAuth, ghu user-to-server, ghs server-to-server,
  // ghr refresh; 36 base62 characters of which the last 6 are a CRC32. Fine-grained PATs (2022):
  // github_pat_ + 22 + "_" + 59.
  prefixed('github-pat', 'GitHub personal access token', ['ghp_'], 'ghp_[A-Za-z0-9]{36}', { verify: crc(4) }),
  prefixed('github-oauth-token', 'GitHub OAuth access token', ['gho_'], 'gho_[A-Za-z0-9]{36}', { verify: crc(4) }),
  prefixed('github-user-to-server-token', 'GitHub App user-to-server token', ['ghu_'], 'ghu_[A-Za-z0-9]{36}', { verify: crc(4) }),
  prefixed('github-server-to-server-token', 'GitHub App installation token', ['ghs_'], 'ghs_[A-Za-z0-9]{36}|ghs_\\d{1,12}_eyJ[A-Za-z0-9_-]{8,600}\\.eyJ[A-Za-z0-9_-]{8,2000}\\.[A-Za-z0-9_-]{8,700}', {
    verify: (c) => (c.value.length === 40 && hasBase62Crc32(c.value, 4) ? 0.99 : true),
  }),
  prefixed('github-refresh-token', 'GitHub refresh token', ['ghr_'], 'ghr_[A-Za-z0-9]{36,76}'),
  prefixed('github-fine-grained-pat', 'GitHub fine-grained personal access token', ['github_pat_'], 'github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}', { score: 0.99 }),

  prefixed('gitlab-pat', 'GitLab personal access token', ['glpat-'], `glpat-${GITLAB_BODY(20)}`, { score: 0.97 }),
  prefixed('gitlab-deploy-token', 'GitLab deploy token', ['gldt-'], `gldt-${GITLAB_BODY(20)}`),
  prefixed('gitlab-runner-token', 'GitLab runner authentication token', ['glrt-'], `glrt-(?:t\\d_)?${GITLAB_BODY(20)}`),
  prefixed('gitlab-runner-registration-token', 'GitLab runner registration token', ['gr1348941'], 'GR1348941[A-Za-z0-9_-]{20}'),
  prefixed('gitlab-ci-build-token', 'GitLab CI/CD job token', ['glcbt-'], 'glcbt-[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20}'),
  prefixed('gitlab-pipeline-trigger-token', 'GitLab pipeline trigger token', ['glptt-'], 'glptt-[A-Za-z0-9_-]{40}'),
  prefixed('gitlab-feed-token', 'GitLab feed token', ['glft-'], 'glft-[A-Za-z0-9_-]{20}', { score: 0.85 }),
  prefixed('gitlab-incoming-mail-token', 'GitLab incoming mail token', ['glimt-'], 'glimt-[A-Za-z0-9_-]{25}', { score: 0.85 }),
  prefixed('gitlab-oauth-app-secret', 'GitLab OAuth application secret', ['gloas-'], 'gloas-[A-Za-z0-9_-]{64}'),
  prefixed('gitlab-scim-token', 'GitLab SCIM token', ['glsoat-'], 'glsoat-[A-Za-z0-9_-]{20}'),
  prefixed('gitlab-agent-token', 'GitLab agent for Kubernetes token', ['glagent-'], 'glagent-[A-Za-z0-9_-]{50}'),
  prefixed('gitlab-feature-flag-token', 'GitLab feature flags client token', ['glffct-'], 'glffct-[A-Za-z0-9_-]{20}', { score: 0.85 }),
  prefixed('bitbucket-app-password', 'Bitbucket app password', ['atbb'], 'ATBB[A-Za-z0-9_=.-]{32}', { score: 0.9 }),
  keyed('bitbucket-client-secret', 'Bitbucket OAuth client secret', ['bitbucket'], '[A-Za-z0-9=_-]{64}', { score: 0.75 }),
  // Atlassian API tokens (2023+) start ATATT3; the older 24-char ones need a product keyword.
  prefixed('atlassian-api-token', 'Atlassian API token', ['atatt3'], 'ATATT3[A-Za-z0-9_=-]{150,250}', { score: 0.97 }),
  keyed('atlassian-api-token-legacy', 'Atlassian API token', ['atlassian', 'confluence', 'jira'], ALNUM(24), { score: 0.75 }),

  // Package registries.
  prefixed('npm-access-token', 'npm access token', ['npm_'], 'npm_[A-Za-z0-9]{36}', { verify: crc(4) }),
  custom('npmrc-auth-token', 'npm registry auth token (.npmrc)', [':_authtoken='], /:_authToken=([A-Za-z0-9._~+/-]{20,200}={0,2})/dg, {
    score: 0.9,
    severity: 'high',
    placeholder: 'markers',
    anchored: true,
  }),
  // PyPI API tokens are macaroons: "pypi-" + base64 that starts with the location "pypi.org".
  prefixed('pypi-upload-token', 'PyPI API token', ['pypi-ageichlwas5vcmc'], 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}', { score: 0.99 }),
  prefixed('testpypi-upload-token', 'TestPyPI API token', ['pypi-agendgvzdc5wexbplm9yzw'], 'pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_-]{50,1000}', { score: 0.95, severity: 'medium' }),
  prefixed('rubygems-api-key', 'RubyGems API key', ['rubygems_'], `rubygems_${HEX(48)}`, { score: 0.99 }),
  prefixed('nuget-api-key', 'NuGet API key', ['oy2'], 'oy2[a-z0-9]{43}', { score: 0.85 }),
  prefixed('clojars-api-token', 'Clojars deploy token', ['clojars_'], 'CLOJARS_[a-z0-9]{60}'),
  prefixed('docker-hub-pat', 'Docker Hub personal access token', ['dckr_pat_'], 'dckr_pat_[A-Za-z0-9_-]{27}'),
  prefixed('docker-hub-org-token', 'Docker Hub organization access token', ['dckr_oat_'], 'dckr_oat_[A-Za-z0-9_-]{32}'),
  custom('docker-config-auth', 'Docker registry credentials (config.json auth)', ['"auths"'], /"auth"\s{0,3}:\s{0,3}"([A-Za-z0-9+/]{16,400}={0,2})"/dg, {
    score: 0.9,
    severity: 'high',
    placeholder: 'markers',
    verify: (c) => isBasicCredential(c.value),
  }),
  // JFrog: API keys start AKCp; reference tokens are base64 of "reftkn…".
  prefixed('jfrog-api-key', 'JFrog Artifactory API key', ['akcp'], 'AKCp[A-Za-z0-9]{69}', { score: 0.9 }),
  prefixed('jfrog-reference-token', 'JFrog reference token', ['cmvmdgtu'], 'cmVmdGtu[A-Za-z0-9]{56}', { score: 0.9 }),
  keyed('jfrog-identity-token', 'JFrog identity token', ['artifactory', 'jfrog'], ALNUM(64) + '|' + ALNUM(73), { score: 0.75 }),

  // CI/CD and code quality.
  prefixed('sonarqube-token', 'SonarQube / SonarCloud token', ['sqp_', 'squ_', 'sqa_'], `sq[pau]_${HEX(40)}`),
  keyed('sonar-token', 'SonarQube token', ['sonar'], HEX(40), { score: 0.75 }),
  prefixed('circleci-pat', 'CircleCI personal API token', ['ccipat_'], `CCIPAT_[A-Za-z0-9]{22}_${HEX(40)}`, { score: 0.97 }),
  keyed('circleci-token', 'CircleCI API token', ['circleci', 'circle_token', 'circle-token'], HEX(40), { score: 0.75 }),
  prefixed('buildkite-token', 'Buildkite API access token', ['bkua_'], `bkua_${HEX(40)}`),
  keyed('travis-ci-token', 'Travis CI token', ['travis'], '[A-Za-z0-9_-]{22}', { score: 0.7 }),
  keyed('drone-ci-token', 'Drone CI token', ['drone'], ALNUM(32), { score: 0.7 }),
  keyed('codecov-token', 'Codecov upload token', ['codecov'], `${UUID}|${HEX(32)}`, { score: 0.75 }),
  keyed('snyk-api-token', 'Snyk API token', ['snyk'], UUID, { score: 0.85 }),
  prefixed('sourcegraph-access-token', 'Sourcegraph access token', ['sgp_'], `sgp_(?:${HEX(16)}_|local_)?${HEX(40)}`),
  keyed('sourcegraph-token-legacy', 'Sourcegraph access token', ['sourcegraph'], HEX(40), { score: 0.75 }),
  prefixed('harness-token', 'Harness access token', ['pat.', 'sat.'], `(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.${HEX(24)}\\.[A-Za-z0-9]{20}`, { score: 0.9 }),
  prefixed('prefect-api-key', 'Prefect API key', ['pnu_'], 'pnu_[A-Za-z0-9]{36}'),
  prefixed('readme-api-key', 'ReadMe API key', ['rdme_'], 'rdme_[a-z0-9]{70}'),
  prefixed('postman-api-key', 'Postman API key', ['pmak-'], `PMAK-${HEX(24)}-${HEX(34)}`, { score: 0.99 }),
  prefixed('contentful-pat', 'Contentful personal access token', ['cfpat-'], 'CFPAT-[A-Za-z0-9_-]{43}'),
  prefixed('typeform-pat', 'Typeform personal access token', ['tfp_'], 'tfp_[A-Za-z0-9_.=-]{59}'),
  prefixed('figma-pat', 'Figma personal access token', ['figd_'], 'figd_[A-Za-z0-9_-]{38,64}'),
  prefixed('linear-api-key', 'Linear API key', ['lin_api_'], 'lin_api_[A-Za-z0-9]{40}'),
  prefixed('linear-oauth-token', 'Linear OAuth token', ['lin_oauth_'], `lin_oauth_${HEX(64)}`),
  prefixed('frameio-token', 'Frame.io API token', ['fio-u-'], 'fio-u-[A-Za-z0-9_=-]{64}'),
  prefixed('defined-networking-api-token', 'Defined Networking API token', ['dnkey-'], 'dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52}'),
  custom('authress-service-client-key', 'Authress service client key', ['.acc_', '.acc-'], /(?<=(?<![A-Za-z0-9.])(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6})\.acc[_-][a-z0-9-]{10,32}\.[a-z0-9+/_=-]{30,120}(?![A-Za-z0-9])/dg, {
    score: 0.9,
    severity: 'high',
    placeholder: 'markers',
    verify: (c) => {
      const lead = /(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}$/.exec(c.text.slice(Math.max(0, c.start - 48), c.start));
      return lead ? { start: c.start - lead[0].length, end: c.end } : false;
    },
  }),
  prefixed('settlemint-token', 'SettleMint access token', ['sm_pat_', 'sm_aat_', 'sm_sat_'], 'sm_(?:pat|aat|sat)_[A-Za-z0-9]{16}', { score: 0.9 }),
  prefixed('infracost-api-token', 'Infracost API token', ['ico-'], 'ico-[A-Za-z0-9]{32}', { score: 0.9 }),
  prefixed('scalingo-api-token', 'Scalingo API token', ['tk-us-'], 'tk-us-[A-Za-z0-9_-]{48}'),
  prefixed('intra42-client-secret', '42 Intra client secret', ['s-s4t2ud-', 's-s4t2af-'], `s-s4t2(?:ud|af)-${HEX(64)}`),
  custom('sidekiq-sensitive-url', 'Sidekiq Enterprise credentials in URL', ['contribsys.com'], /https?:\/\/([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com/dg, {
    score: 0.95,
    severity: 'high',
    placeholder: 'markers',
  }),
  keyed('sidekiq-secret', 'Sidekiq Enterprise credentials', ['bundle_enterprise__contribsys__com', 'bundle_gems__contribsys__com'], `${HEX(8)}:${HEX(8)}`, { score: 0.9 }),
  // Databricks personal access tokens: "dapi" + 32 hex, optionally "-<n>" (Databricks docs, PAT).
  prefixed('databricks-token', 'Databricks personal access token', ['dapi'], `dapi${HEX(32)}(?:-\\d{1,2})?`, { score: 0.95 }),
  prefixed('clickhouse-cloud-api-secret', 'ClickHouse Cloud API secret key', ['4b1d'], '4b1d[A-Za-z0-9]{38}', { score: 0.85 }),

  // Observability.
  prefixed('sentry-org-token', 'Sentry organization auth token', ['sntrys_eyj'], 'sntrys_eyJ[A-Za-z0-9+/=]{40,800}_[A-Za-z0-9+/]{43}', { score: 0.99 }),
  prefixed('sentry-user-token', 'Sentry user auth token', ['sntryu_'], `sntryu_${HEX(64)}`, { score: 0.99 }),
  custom('sentry-dsn', 'Sentry DSN key', ['sentry.io'], /https:\/\/([a-f0-9]{32})@o?\d{1,12}\.ingest\.(?:[a-z]{2}\.)?sentry\.io\/\d{1,12}/dg, {
    score: 0.6,
    severity: 'low',
    placeholder: 'markers',
  }),
  // New Relic key prefixes (New Relic docs, "API keys").
  prefixed('new-relic-user-api-key', 'New Relic user API key', ['nrak-'], 'NRAK-[A-Z0-9]{27}'),
  prefixed('new-relic-browser-api-key', 'New Relic browser API key', ['nrjs-'], `NRJS-${HEX(19)}`, { score: 0.85, severity: 'medium' }),
  prefixed('new-relic-insert-key', 'New Relic insert key', ['nrii-'], 'NRII-[A-Za-z0-9_-]{32}'),
  suffixed('new-relic-license-key', 'New Relic license key', ['nral'], { source: HEX(36), length: 36 }, 'NRAL'),
  prefixed('new-relic-rest-api-key', 'New Relic REST API key', ['nrra-'], `NRRA-${HEX(42)}`),
  keyed('datadog-api-key', 'Datadog API key', ['datadog', 'dd_api_key', 'dd-api-key', 'ddapikey', 'dd_apikey'], HEX(32), { score: 0.85 }),
  keyed('datadog-app-key', 'Datadog application key', ['dd_app_key', 'dd-app-key', 'dd_application_key', 'dd-application-key', 'ddappkey', 'datadog_app'], HEX(40), { score: 0.85 }),
  prefixed('grafana-cloud-token', 'Grafana Cloud access token', ['glc_'], 'glc_[A-Za-z0-9+/]{32,400}={0,2}'),
  prefixed('grafana-service-account-token', 'Grafana service account token', ['glsa_'], `glsa_[A-Za-z0-9]{32}_${HEX(8)}`, { score: 0.99 }),
  prefixed('grafana-api-key', 'Grafana API key', ['eyjrijoi'], 'eyJrIjoi[A-Za-z0-9]{60,400}={0,2}', { score: 0.9 }),
  prefixed('dynatrace-api-token', 'Dynatrace API token', ['dt0c01.'], 'dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}', { score: 0.99 }),
  keyed('honeycomb-api-key', 'Honeycomb API key', ['honeycomb'], `${ALNUM(22)}|${HEX(32)}`, { score: 0.75 }),
  keyed('rollbar-token', 'Rollbar access token', ['rollbar'], HEX(32), { score: 0.75 }),
  keyed('bugsnag-api-key', 'Bugsnag API key', ['bugsnag'], HEX(32), { score: 0.75 }),
  keyed('loggly-token', 'Loggly customer token', ['loggly'], UUID, { score: 0.75 }),
  keyed('pagerduty-api-key', 'PagerDuty API key', ['pagerduty', 'pager_duty'], 'u\\+[A-Za-z0-9_+-]{18}|[A-Za-z0-9_+-]{20}', { score: 0.75 }),
  keyed('opsgenie-api-key', 'Opsgenie API key', ['opsgenie'], UUID, { score: 0.75 }),
  keyed('launchdarkly-key', 'LaunchDarkly key', ['launchdarkly', 'launch_darkly'], `(?:api|sdk|mob)-${UUID}`, { score: 0.85 }),
  keyed('sumologic-access-id', 'Sumo Logic access id', ['sumologic', 'sumo_', 'sumo-'], 'su[A-Za-z0-9]{12}', {
    score: 0.7,
    minEntropy: 3,
    verify: (c) => /[0-9]/.test(c.value) && /[A-Z]/.test(c.value),
  }),
  keyed('sumologic-access-key', 'Sumo Logic access key', ['sumologic', 'sumo_', 'sumo-'], ALNUM(64), { score: 0.8 }),
  keyed('cisco-meraki-api-key', 'Cisco Meraki API key', ['meraki'], HEX(40), { score: 0.8 }),
  keyed('algolia-api-key', 'Algolia API key', ['algolia'], HEX(32), { score: 0.8 }),
];
