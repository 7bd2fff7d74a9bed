/* fork.c - os.fork() children, and how their parent reports their end. */
#include "fork.h"

#include <sys/wait.h>
#include <unistd.h>

#include "events.h"
#include "runtime.h"
#include "signals.h"
#include "threads.h"

pyexc *child_wait(pid_t pid, const char *what)
{
    text t = {NULL, 0, 0};
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return exc_new("OSError", "waitpid failed", 0);
    if (WIFSIGNALED(status))
        text_addf(&t, "%s killed by %s", what, signal_name(WTERMSIG(status)));
    else
        text_addf(&t, "%s exit %d", what, WEXITSTATUS(status));
    out_line(&t);
    return NULL;
}

/* os.fork(): the child inherits the registry, runs its steps, then sys.exit() raises
 * SystemExit where the fork was: out of main it ends the child normally (its handlers
 * run: clause fork.child-runs-inherited), out of a handler the child goes on with the
 * run. The parent waits and prints how the child ended. */
pyexc *fork_refused(void)
{
    if (rt.finalizing && rt.py->shutdown_forbids_starts)
        return exc_new("RuntimeError", "can't fork at interpreter shutdown", 0);
    return NULL;
}

pyexc *fork_step(const step *s, frame *f)
{
    pid_t pid;
    pyexc *raised;
    if ((raised = fork_refused()) != NULL)
        return raised;
    if ((pid = fork()) < 0)
        return exc_new("OSError", "fork failed", 0);
    if (pid == 0) {
        threads_forget(); /* only the forking thread lives on in the child */
        raised = exec_steps(s->child, f);
        return raised != NULL ? raised : exc_raise("SystemExit", NULL, 1);
    }
    return child_wait(pid, "child");
}
