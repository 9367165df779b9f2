"""Network view: deliveries and reach across the network, and the reach map."""
