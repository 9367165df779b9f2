"""The shared catalogue: a versioned JSON API of published modules, organisations and deliveries."""
