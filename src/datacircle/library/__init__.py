"""The session library: modules of one hour at most, their versions, translations and adaptations."""
