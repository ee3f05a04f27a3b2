"""Views of the organisation app: `organisation` (programmes, Pokja, roles, evidence), `plans`
(action plans and monitoring) and `registers` (audit findings, change agents)."""
