"""The console's launch-a-region templates: save a session as a template, list them, launch a new
région from one (issue 14, item 2). The rules are in `programs.services.templates`."""
