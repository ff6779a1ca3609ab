role = "web"
