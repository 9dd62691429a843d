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
  # Leave url unset and Steward runs its own PostgreSQL server in dataDir (Unix socket only); every
  # steward process on this machine (serve, workers, CLI) shares it. Set url to use your server:
  # url: \${DATABASE_URL}
  dataDir: ./.steward/pg
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

dsr:
  # Data subject requests. Requesters get a one-time code, notices and download links by email.
  from: Privacy team <privacy@localhost>
  smtp:
    host: 127.0.0.1
    port: 587
    # user: steward
    # password: env:SMTP_PASSWORD
  # publicBaseUrl: https://privacy.example.com   # the address in download links
  # keyRef: env:STEWARD_DSR_KEY                   # default: a key generated once in dataDir/dsr.key
  dataDir: ./.steward/dsr      # encrypted access packages; shared by all processes
  approvalRequired: [erasure]  # types a person with dsr:approve must approve
  packages:
    retentionDays: 30          # packages are deleted after this
    linkTtlDays: 7
    maxDownloads: 5            # per link; a new link ends the one before it

auth:
  separationOfDuties:
    # Four eyes: an erasure always waits for approval, by someone other than its submitter and verifier.
    requests: true
    # A real retention run (or a flow's sweep) with more rows due than this waits until someone other
    # than its requester approves it (POST /v1/retention/runs/:id/approve); false turns it off.
    retentionRunRowsAbove: 1000
    # \`steward secrets rotate\`: one person proposes (--as), another carries it out (--approve … --as).
    secretsRotation: true
    # tenants: { sandbox: { requests: false, retentionRunRowsAbove: false } }   # a tenant's own settings

audit:
  # The tamper-evident audit log. Every minute new events are appended and a checkpoint (tree size
  # and root) is signed and published where the database operator cannot rewrite it; auditors check
  # exports against it offline with \`steward audit verify\`.
  origin: steward.local/audit  # the log's name in checkpoints (each tenant's is <origin>/<tenant>); use your host name
  # Keys live outside the database, as env:NAME or file:/path (\`steward audit public-key\` prints the verifier key).
  signingKeyRef: file:./.steward/audit/checkpoint-signing-key.pem   # Ed25519 private key (PKCS#8 PEM) that signs checkpoints
  pseudonymKeyRef: file:./.steward/audit/pseudonym.key             # 32+ random characters; turns data subjects into pseudonyms
  # Missing key files are created only with the embedded database. On PostgreSQL every process must
  # use the same keys: make them once with \`steward audit keygen --dir <folder>\` and point the refs above
  # at them (Steward refuses to start otherwise), or set true if all processes run from one directory on one host.
  # createMissingKeys: true
  publish:
    directory: ./.steward/audit/checkpoints   # one file per checkpoint, never overwritten; null to publish only to url
    # url: https://witness.example.com/checkpoints   # also POST each checkpoint here (text/plain)
    timeoutMs: 5000
  integrateBatchSize: 2000     # pending events appended per transaction
`;
