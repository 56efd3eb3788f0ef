extern int errors_table_dummy; int errors_table_dummy;
