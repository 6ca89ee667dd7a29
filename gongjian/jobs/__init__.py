"""Background jobs: long work (allocation runs, imports, compliance evaluation, the nightly
schedule) run as Celery tasks with a job record that its starter follows on a progress page."""
