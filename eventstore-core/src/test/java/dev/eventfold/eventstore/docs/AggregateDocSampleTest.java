package dev.eventfold.eventstore.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.aggregate.AggregateState;
import dev.eventfold.eventstore.aggregate.CommandResult;
import dev.eventfold.eventstore.aggregate.Decider;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import dev.eventfold.eventstore.serialization.EventTypes;
import dev.eventfold.eventstore.serialization.StateCodec;
import dev.eventfold.eventstore.snapshot.InMemorySnapshotStore;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code of docs/aggregates.md, compiled and run; {@link DocSamplesTest} checks the page shows it verbatim. */
class AggregateDocSampleTest {

    // tag::decider[]
    sealed interface TaskCommand permits AddTask, CompleteTask {
    }

    record AddTask(String title) implements TaskCommand {
    }

    record CompleteTask(String title) implements TaskCommand {
    }

    sealed interface TaskEvent permits TaskAdded, TaskCompleted {
    }

    record TaskAdded(String title) implements TaskEvent {
    }

    record TaskCompleted(String title) implements TaskEvent {
    }

    record TaskList(List<String> open, int completed) {
    }

    static final class TaskRejected extends RuntimeException {
        TaskRejected(String message) {
            super(message);
        }
    }

    static final Decider<TaskCommand, TaskList, TaskEvent> TASKS = Decider.of(
            () -> new TaskList(List.of(), 0),
            (list, event) -> {
                if (event instanceof TaskAdded added) {
                    List<String> open = new java.util.ArrayList<>(list.open());
                    open.add(added.title());
                    return new TaskList(List.copyOf(open), list.completed());
                }
                TaskCompleted done = (TaskCompleted) event;
                return new TaskList(list.open().stream().filter(t -> !t.equals(done.title())).toList(),
                        list.completed() + 1);
            },
            (command, list) -> {
                if (command instanceof AddTask add) {
                    return list.open().contains(add.title()) ? List.of() : List.of(new TaskAdded(add.title()));
                }
                CompleteTask complete = (CompleteTask) command;
                if (!list.open().contains(complete.title())) {
                    throw new TaskRejected("no open task '" + complete.title() + "'");
                }
                return List.of(new TaskCompleted(complete.title()));
            });

    static final EventTypes<TaskEvent> TASK_EVENTS = EventTypes.builder(TaskEvent.class)
            .register("TaskAdded", TaskAdded.class)
            .register("TaskCompleted", TaskCompleted.class)
            .build();
    // end::decider[]

    @Test
    void the_repository_sample_runs() {
        EventStore store = InMemoryEventStore.create();
        // tag::repository[]
        try (AggregateRepository<TaskCommand, TaskList, TaskEvent> tasks = AggregateRepository
                .builder(store, TASKS, TASK_EVENTS)
                .category("tasks")                                   // stream ids: tasks-<id>
                .snapshots(new InMemorySnapshotStore(), StateCodec.jackson(TaskList.class, 1),
                        SnapshotPolicy.everyNEvents(100))            // written after the append, off the caller's path
                .cache(10_000)                                       // optional; stale entries only cost a retry
                .maxAttempts(3)                                      // decisions per command on version conflicts
                .build()) {

            tasks.handle("alice", new AddTask("write docs"));
            CommandResult<TaskList, TaskEvent> result = tasks.handle("alice", new AddTask("ship"),
                    ExpectedVersion.exactly(0), Metadata.empty().withCorrelationId("req-42"));
            tasks.handle("alice", new CompleteTask("write docs"));

            AggregateState<TaskList> now = tasks.load("alice");                              // ["ship"], 1 done
            AggregateState<TaskList> before = tasks.loadAtVersion("alice", 1).orElseThrow(); // both open
            System.out.println(result.version() + " " + now + " " + before);
        }
        // end::repository[]
        try (AggregateRepository<TaskCommand, TaskList, TaskEvent> tasks = AggregateRepository
                .builder(store, TASKS, TASK_EVENTS).category("tasks").build()) {
            assertThat(tasks.load("alice").state()).isEqualTo(new TaskList(List.of("ship"), 1));
            assertThat(tasks.loadAtVersion("alice", 1).orElseThrow().state())
                    .isEqualTo(new TaskList(List.of("write docs", "ship"), 0));
            assertThatThrownBy(() -> tasks.handle("alice", new CompleteTask("nothing")))
                    .isInstanceOf(TaskRejected.class);
        }
        assertThat(store.readStreamForward("tasks-alice").get(1).metadata().correlationId()).isEqualTo("req-42");
    }
}
