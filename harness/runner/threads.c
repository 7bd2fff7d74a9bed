/* threads.c - the case's threads: started by the thread step, waited for when main ends. */
#include "threads.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pystack.h"
#include "runtime.h"
#include "steps.h"

typedef struct thread_run {
    const step *s;
    int number; /* the N of threading's "Thread-N": threads made so far, this one too */
    pthread_t id;
    struct thread_run *next;
} thread_run;

static atomic_int threads_made; /* handlers run in threads may start threads too */
/* Set in each thread the runner starts; main's stays 0 (fork copies it: the forking
 * thread is the child's main). */
static _Thread_local int started_thread;

int threads_in_main(void)
{
    return !started_thread;
}

static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t main_ended_cond = PTHREAD_COND_INITIALIZER;
static int main_ended; /* under threads_lock */
static thread_run *joinable;

/* after_main: Python's threading marks the main thread stopped when main has ended,
 * before it joins the others (compile.py: the thread joins the thread that started it). */
static void wait_for_main_to_end(void)
{
    pthread_mutex_lock(&threads_lock);
    while (!main_ended)
        pthread_cond_wait(&main_ended_cond, &threads_lock);
    pthread_mutex_unlock(&threads_lock);
}

/* threading's report of an exception escaping the thread's body (compile.py names the
 * body _thread_body_SERIAL): through a Python frame, so always with a traceback. */
static void report_escaped(const thread_run *run, const pyexc *raised)
{
    text t = {NULL, 0, 0};
    text_addf(&t, "Exception in thread Thread-%d", run->number);
    if (rt.py->thread_name_target)
        text_addf(&t, " (_thread_body_%d)", run->s->serial);
    text_add(&t, ":\n");
    exc_display(&t, raised, !rt.py->thread_report_by_python);
    text_add(&t, rt.py->thread_report_by_python ? "\n" : ""); /* print_exc, then a blank line */
    fputs(text_str(&t), stderr);
    text_free(&t);
}

static void *thread_main(void *arg)
{
    thread_run *run = arg;
    frame f;
    pyexc *raised;
    struct timespec delay;
    delay.tv_sec = run->s->delay_ms / 1000;
    delay.tv_nsec = (long)(run->s->delay_ms % 1000) * 1000000L;
    started_thread = 1;
    pystack_set_depth(4); /* threading's _bootstrap, _bootstrap_inner, run, the body */
    nanosleep(&delay, NULL);
    if (run->s->after_main)
        wait_for_main_to_end();
    memset(&f, 0, sizeof f);
    f.name = "<thread>";
    raised = exec_steps(run->s->child, &f);
    if (raised != NULL && !(raised->base.flags & ATX_FAILURE_EXIT))
        report_escaped(run, raised);
    if (raised != NULL) /* a SystemExit ends the thread in silence */
        atx_failure_release(&raised->base);
    return NULL;
}

pyexc *thread_step(const step *s)
{
    thread_run *run;
    if (rt.finalizing && rt.py->shutdown_forbids_starts)
        return exc_new("RuntimeError", "can't create new thread at interpreter shutdown", 0);
    if ((run = calloc(1, sizeof *run)) == NULL)
        return exc_new("MemoryError", NULL, 0);
    run->s = s;
    run->number = atomic_fetch_add(&threads_made, 1) + 1;
    if (pthread_create(&run->id, NULL, thread_main, run) != 0) {
        free(run);
        return exc_new("RuntimeError", "can't start new thread", 0);
    }
    if (s->join) { /* started, then joined at once */
        pthread_join(run->id, NULL);
        free(run);
        return NULL;
    }
    if (s->daemon) {
        pthread_detach(run->id);
        return NULL;
    }
    pthread_mutex_lock(&threads_lock);
    run->next = joinable;
    joinable = run;
    pthread_mutex_unlock(&threads_lock);
    return NULL;
}

void threads_forget(void)
{
    joinable = NULL;
}

void threads_join(void)
{
    pthread_mutex_lock(&threads_lock);
    main_ended = 1;
    pthread_cond_broadcast(&main_ended_cond);
    pthread_mutex_unlock(&threads_lock);
    for (;;) {
        thread_run *run;
        pthread_mutex_lock(&threads_lock);
        run = joinable;
        if (run != NULL)
            joinable = run->next;
        pthread_mutex_unlock(&threads_lock);
        if (run == NULL)
            return;
        pthread_join(run->id, NULL);
        free(run);
    }
}
