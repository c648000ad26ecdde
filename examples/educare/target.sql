-- EduCare on PostgreSQL: everyone who signs in is a user with a role;
-- what is particular to a student or a member of staff is in a profile
-- pointing at the user; homerooms are a table of teacher-student
-- assignments, not a column. UUID keys, the SQLite keys in old_id.
create table users (
	id uuid primary key,
	role text not null check (role in ('student', 'teacher', 'counselor', 'admin')),
	email text unique,
	first_name text,
	middle_name text,
	last_name text,
	phone text,
	old_table text not null,
	old_id bigint not null,
	unique (old_table, old_id)
);

create table staff_profiles (
	id uuid primary key,
	old_id bigint not null unique,
	user_id uuid not null unique references users,
	position text not null check (position in ('teacher', 'counselor', 'admin')),
	hired_on date
);

create table student_profiles (
	id uuid primary key,
	old_id bigint not null unique,
	user_id uuid not null unique references users,
	grade_level smallint check (grade_level between 1 and 13),
	birth_date date,
	gpa double precision,
	photo bytea,
	notes text
);

create table teacher_students (
	id uuid primary key,
	teacher_id uuid not null references staff_profiles,
	student_id uuid not null references student_profiles,
	relation text not null default 'homeroom',
	unique (teacher_id, student_id, relation)
);

create table alerts (
	id uuid primary key,
	old_id bigint not null unique,
	student_id uuid not null references student_profiles,
	raised_by uuid references staff_profiles,
	kind text not null,
	severity smallint check (severity between 1 and 3),
	risk_score double precision,
	raised_at timestamp not null,
	resolved_at timestamp,
	note text
);

create table interventions (
	id uuid primary key,
	old_id bigint not null unique,
	alert_id uuid not null references alerts,
	counselor_id uuid references staff_profiles,
	action text,
	started_on date,
	ended_on date,
	hours double precision,
	outcome text
);

create table counselling_logs (
	id uuid primary key,
	old_id bigint not null unique,
	student_id uuid not null references student_profiles,
	counselor_id uuid references staff_profiles,
	held_at timestamp not null,
	minutes integer,
	confidential boolean not null,
	summary text
);
