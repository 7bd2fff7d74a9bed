/* computations.c - compute: expressions that really fail, with CPython's exception for
 * each (messages that vary by version are pywords.c's). */
#include "computations.h"

#include <stddef.h>
#include <string.h>

#include "pywords.h"

struct computation {
    const char *expression; /* as the program writes it */
    const char *type;
    const char *message;    /* NULL: its pywords.c wording */
    pyword word;
};

static const computation COMPUTATIONS[] = {
    {.expression = "1 / 0", .type = "ZeroDivisionError", .word = W_DIVISION_BY_ZERO},
    {.expression = "1 // 0", .type = "ZeroDivisionError", .word = W_FLOOR_DIVISION_BY_ZERO},
    {.expression = "[][0]", .type = "IndexError", .message = "list index out of range"},
    {.expression = "{}['k']", .type = "KeyError", .message = "'k'"},
    {.expression = "int('x')", .type = "ValueError",
     .message = "invalid literal for int() with base 10: 'x'"},
    {.expression = "None.missing", .type = "AttributeError",
     .message = "'NoneType' object has no attribute 'missing'"},
    {.expression = "1 + 'a'", .type = "TypeError",
     .message = "unsupported operand type(s) for +: 'int' and 'str'"},
    {.expression = "len(1)", .type = "TypeError", .message = "object of type 'int' has no len()"},
};

const computation *computation_find(const char *expression)
{
    size_t i;
    for (i = 0; i < sizeof COMPUTATIONS / sizeof COMPUTATIONS[0]; i++)
        if (strcmp(COMPUTATIONS[i].expression, expression) == 0)
            return &COMPUTATIONS[i];
    return NULL;
}

pyexc *computation_raise(const computation *c)
{
    return exc_new(c->type, c->message != NULL ? c->message : pyword_format(c->word), 0);
}
