/* arena.c - the case loader's allocation pool. */
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    arena_block *next;
    max_align_t data[];
};

void *arena_alloc(arena *a, size_t size)
{
    arena_block *block = calloc(1, sizeof *block + size);
    if (block == NULL) {
        fputs("atx-case-runner: out of memory\n", stderr);
        exit(70);
    }
    block->next = a->blocks;
    a->blocks = block;
    return block->data;
}

char *arena_strdup(arena *a, const char *text)
{
    size_t size = strlen(text) + 1;
    return memcpy(arena_alloc(a, size), text, size);
}

void arena_free(arena *a)
{
    while (a->blocks != NULL) {
        arena_block *next = a->blocks->next;
        free(a->blocks);
        a->blocks = next;
    }
}
