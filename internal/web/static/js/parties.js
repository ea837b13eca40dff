// Front-end code of the company and contact screens (pickers, duplicate warnings).
