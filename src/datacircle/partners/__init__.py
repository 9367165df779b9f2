"""Partners and allies: universities, businesses and other organisations we work with."""
