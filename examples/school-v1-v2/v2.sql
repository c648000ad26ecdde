-- V2: the new system. One users table with roles; profile tables point at
-- it. Keys are UUIDs; every table keeps the V1 key in a tracking column
-- (old_id, old_course_id, old_journal_id) so that the migration can be
-- checked and re-run. Foreign keys are real, and emails are unique.
set client_min_messages = warning;
drop table if exists course_enrollments, course_offerings, students, parents,
	teachers, users, schools cascade;

create table schools (
	id		uuid primary key,
	name		text not null,
	city		text,
	founded		date,
	old_id		bigint not null unique
);

create table users (
	id		uuid primary key,
	email		text unique,
	first_name	text,
	middle_name	text,
	last_name	text,
	phone		text,
	role		text not null check (role in ('teacher', 'parent', 'student')),
	password_hash	text,
	old_id		bigint not null,
	old_table	text not null,
	unique (old_table, old_id)
);

create table teachers (
	id		uuid primary key,
	user_id		uuid not null references users,
	school_id	uuid references schools,
	hired_on	date,
	old_id		bigint not null unique
);

create table parents (
	id		uuid primary key,
	user_id		uuid not null references users,
	old_id		bigint not null unique
);

create table students (
	id		uuid primary key,
	user_id		uuid not null references users,
	school_id	uuid references schools,
	parent_id	uuid references parents,
	birth_date	date,
	grade_level	int,
	old_id		bigint not null unique
);

create table course_offerings (
	id		uuid primary key,
	school_id	uuid references schools,
	teacher_id	uuid references teachers,
	title		text not null,
	term		text,
	room		text,
	old_course_id	bigint not null unique
);

create table course_enrollments (
	id			uuid primary key,
	student_id		uuid not null references students,
	course_offering_id	uuid not null references course_offerings,
	grade			numeric(5,2),
	created_at		timestamptz not null,
	old_journal_id		bigint not null unique
);
