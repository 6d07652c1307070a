"""What comes in: WTForms per resource, <Resource><Action>Form."""
