"""Demo data: `manage.py seed_demo` builds a consultancy a newcomer can sign in to.

- `data`: the cast (users, client companies, projects, demo calls), as plain data;
- `plans`: for each application, the steps it goes through and the state they end in;
- `files`: the small documents the steps upload, made in memory (one-page PDFs, a PNG scan);
- `seed`: `demo_seed()`, which plays the steps through the real services (companies, workflow,
  dossiers), so history, disbursements, notifications and copies of record are real.
"""
