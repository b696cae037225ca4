"""The commented `licensecheck.yaml` written by `licensecheck init`."""

TEMPLATE = """\
# licensecheck configuration. Relative paths are relative to this file.
# Docs: the README's "Configuration" and "Policy format" sections.

# Postures to apply: built-in names (openness, commercial, export-caution) or policy files.
policies: [openness, commercial, export-caution]

# Models to audit: Hub ids (org/name or org/name@revision) or local model folders / card files.
models:
  - deepseek-ai/DeepSeek-R1
  # - meta-llama/Llama-3.1-8B-Instruct
  # - ./models/my-finetune

# The lockfile `licensecheck lock` writes and `licensecheck check --offline` reads. Commit it.
lockfile: licensecheck.lock

# How the models will be used; postures use it where licences differ.
# One or more of: internal, saas, distribute, fine-tune, distill
# use: [saas]

# Files `licensecheck scan` reads when given no files (globs).
scan: ["**/*.py", "**/*.yaml", "**/*.json"]

# Accepted findings: each needs a reason; an expired waiver stops applying and is reported.
waivers: []
#  - models: ["meta-llama/*"]
#    rules: [not-open]
#    reason: "Llama use approved by legal (LEGAL-123)"
#    approved_by: jane@example.com
#    expires: 2027-06-30

# Licence identifications you have checked by hand (they win over the card).
clarify: []
#  - models: ["acme/old-model"]
#    license: Apache-2.0
#    reason: "LICENSE file is Apache-2.0; the card says other"

# Extra licence and publisher facts (same fields as the shipped knowledge base).
# licenses:
#   - {id: LicenseRef-acme-internal, name: ACME internal model licence, category: proprietary}
# publishers:
#   - {orgs: [acme], name: ACME Corp, country: US}
"""
