app = "folder"
