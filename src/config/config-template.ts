/** The commented steward.yaml that `steward init` writes. Every key shown is optional. */
export const CONFIG_TEMPLATE = `# yaml-language-server: $schema=./schemas/steward.config.schema.json
# Steward configuration. Every key is optional; defaults are shown.
# Values may use \${ENV_VAR} or \${ENV_VAR:-default}; any key can be overridden with
# STEWARD_<SECTION>__<KEY>, e.g. STEWARD_SERVER__PORT=9000 or STEWARD_DATABASE__URL=postgres://...

server:
  host: 127.0.0.1
  port: 8080
  bodyLimitBytes: 1048576      # larger request bodies get HTTP 413
  rateLimit:
    max: 600                   # requests per client per window
    timeWindowMs: 60000
  shutdownGraceMs: 15000       # how long shutdown waits for requests and running jobs

database:
  # Leave url unset to use the embedded PostgreSQL (PGlite) in dataDir.
  # Set it to run on a PostgreSQL server, required for several API and worker processes:
  # url: \${DATABASE_URL}
  dataDir: ./.steward/db
  poolSize: 10
  connectAttempts: 8           # with exponential backoff, at start-up

jobs:
  runInServe: true             # false when you run separate \`steward worker\` processes
  concurrency: 4

logging:
  level: info                  # personal data is always redacted from logs

datamap:
  path: ./datamap              # YAML files describing your systems, collections and fields

demo:
  enabled: false               # \`steward serve --demo\` turns it on
`;
