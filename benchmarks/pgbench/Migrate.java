import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Migrates an Eventfold schema for the pgbench statements:
 * {@code java -cp benchmarks/target/benchmarks.jar benchmarks/pgbench/Migrate.java <jdbc url> <schema>}.
 */
public class Migrate {
    public static void main(String[] args) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[0]);
        int version = PostgresEventStoreMigrator.migrate(dataSource, args[1]);
        System.out.println("schema " + args[1] + " at version " + version);
    }
}
