/* arena.h - one allocation pool per loaded case, freed at once (error paths included). */
#ifndef RUNNER_ARENA_H
#define RUNNER_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *blocks;
} arena;

/* Zeroed memory owned by the arena; exits the process when memory runs out
 * (the runner cannot report a case it cannot hold). */
void *arena_alloc(arena *a, size_t size);
char *arena_strdup(arena *a, const char *text);
void arena_free(arena *a);

#endif
