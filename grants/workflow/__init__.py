"""The application workflow: creation, transitions, documents, notifications."""
