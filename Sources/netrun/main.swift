print("netrun")
