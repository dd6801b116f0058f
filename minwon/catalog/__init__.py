"""Reference data: the complaint-type catalogue (민원사무편람) and the working calendar."""
