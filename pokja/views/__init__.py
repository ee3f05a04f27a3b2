"""Views of the organisation app: `organisation` (programmes, Pokja, roles, evidence files),
`plans` (action plans and monitoring), `plan_imports` (a plan's workbook), `registers` (audit
findings, change agents), `people` (a unit's people), `audit` (the programme's trail),
`account` (password reset) and `evidence` (the evidence forms of a plan item and a finding)."""
