"""The IP-power index: its frameworks, the results the report publishes, fitted weights and computed editions."""
