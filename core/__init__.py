"""Cross-app machinery: what is not about statistics, reviews, registries or summaries but used by all of them."""
