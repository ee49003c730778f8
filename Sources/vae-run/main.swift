print("vae-run: not yet implemented")
