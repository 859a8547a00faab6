"""The five steps of the method, one module each: rut (1, am I in a rut?), obstacles (2),
questions (3), roles, employers and reach (4, who to talk to) and progress (5, keeping on
track); next_step picks the dashboard's one next step from them."""
