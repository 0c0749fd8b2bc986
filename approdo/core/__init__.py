"""Small building blocks every domain app uses: the workflow of a state field, updates of
the fields that changed. No models, no views; it imports no app of the project."""
