"""Development tooling shared by the test lanes and the benchmark (never imported by the app)."""
